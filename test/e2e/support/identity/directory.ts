import { expectStatus } from '../http';
import { api } from '../system';
import type { Collection } from '../types';
import type { Contact } from './types';

/** The indirect provider directory resellers search before enrolling (seed 004, public). */

/** An indirect provider as the directory lists it. */
export interface DirectoryEntry {
  id: string;
  name: string;
  country: string;
  mpnId: string;
  supportContact: Contact;
  attributes: { objectType: string };
}

/** `GET /v1/indirect-providers?size=500<query>` (no token); the entries of its one page. */
export async function directory(query: string): Promise<DirectoryEntry[]> {
  const response = await api('identity').get(`/v1/indirect-providers?size=500${query}`);
  return expectStatus<Collection<DirectoryEntry>>(response, 200).items;
}
