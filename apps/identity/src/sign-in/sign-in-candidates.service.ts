import { QueryOrder } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/platform';
import { Tenant } from '../organizations/tenant.entity';
import { PasswordHasher } from '../users/password-hasher.service';
import { User } from '../users/user.entity';

/**
 * At most this many accounts of one sign-in name are tried when no organisation is named (those
 * whose address is proved first, then the oldest); a person with more accounts of one address
 * names the organisation.
 */
export const MAX_SIGN_IN_CANDIDATES = 10;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PARTNER_ID = /^\d{6,10}$/;

/** A user whose password matched, and its organisation. */
export interface SignInMatch {
  user: User;
  tenant: Tenant;
}

/** The organisations offered with 409 `auth.organization_required`. */
export interface OrganizationChoice {
  id: string;
  name: string;
}

/**
 * 409 `auth.organization_required`: the password is right for the accounts of this address in
 * several organisations; `data` lists them (`[{ id, name }]`, oldest account first) so
 * that the person signs in again with `organization`.
 */
export function organizationRequired(organizations: OrganizationChoice[]): DomainError {
  return new DomainError(
    'auth.organization_required',
    409,
    'This email address signs in to several organizations with this password: name the organization (its id, Partner ID or domain).',
    organizations,
  );
}

/**
 * Which account a sign-in is for, now that sign-in names are scoped to the organisation (issue 9
 * point 9; `users.service.ts` says why: no admin, enrollment or sign-up learns whether an address
 * has an account elsewhere). The cost is here: one address may name accounts in several
 * organisations.
 * - With `organization` (the tenant id, a partner's Partner ID (MPN ID) or a customer's default
 *   domain): the account of that organisation only; an organisation that does not exist is an
 *   unknown name.
 * - Without: every enabled account of the address (at most `MAX_SIGN_IN_CANDIDATES`, oldest
 *   first). The password is verified against each (in parallel, argon2's own thread pool bounds
 *   it); exactly one match signs in; several matches answer 409 `auth.organization_required`, so
 *   only someone who knows the password learns that accounts share it; none is the usual 401.
 * - No account (unknown name, unknown organisation, disabled user): one verification against the
 *   dummy hash, so the cost of an unknown name equals that of a wrong password. What timing still
 *   shows: an address with several accounts costs one verification more per account (run in
 *   parallel, so it shows only under load); it never shows in which organisations.
 * The failure count (`SignInLockout`) stays keyed by the address alone, whatever organisation is
 * named: a guess costs the same budget with or without `organization`, and naming organisations in
 * turn does not multiply the guesses.
 */
@Injectable()
export class SignInCandidates {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * The account `email` and `password` sign in to, within `organization` when given; null when
   * none matches (always after at least one argon2 verification).
   * @throws 409 `auth.organization_required` when the password matches accounts of several
   * organisations and none was named.
   */
  async match(email: string, password: string, organization?: string): Promise<SignInMatch | null> {
    const candidates = await this.candidates(email, organization);
    if (candidates.length === 0) {
      await this.hasher.verifyOrBurn(undefined, password);
      return null;
    }
    const verified = await Promise.all(
      candidates.map((user) => this.hasher.verify(user.passwordHash, password)),
    );
    const matches = candidates.filter((_, i) => verified[i]);
    if (matches.length === 0) return null;
    const tenants = new Map(
      (await this.em.find(Tenant, { id: { $in: matches.map((u) => u.tenantId) } })).map((t) => [
        t.id,
        t,
      ]),
    );
    const found = matches.flatMap((user) => {
      const tenant = tenants.get(user.tenantId);
      return tenant ? [{ user, tenant }] : [];
    });
    if (found.length > 1) {
      throw organizationRequired(found.map(({ tenant }) => ({ id: tenant.id, name: tenant.name })));
    }
    return found[0] ?? null;
  }

  /** Enabled accounts of `email` (within `organization` when given), oldest first, bounded. */
  private async candidates(email: string, organization?: string): Promise<User[]> {
    let tenantId: string | undefined;
    if (organization !== undefined) {
      const tenant = await this.organization(organization);
      if (!tenant) return [];
      tenantId = tenant;
    }
    return this.em.find(
      User,
      { email, disabled: false, ...(tenantId ? { tenantId } : {}) },
      {
        // Proved addresses first: accounts another organisation made of the address (which cannot
        // be proved by it) never push the owner's account out of the bounded list.
        orderBy: { emailVerifiedAt: QueryOrder.ASC_NULLS_LAST, createdAt: 'asc', id: 'asc' },
        limit: MAX_SIGN_IN_CANDIDATES,
      },
    );
  }

  /** The tenant id `organization` names: a tenant id, a Partner ID, or a default domain. */
  private async organization(organization: string): Promise<string | null> {
    const value = organization.trim().toLowerCase();
    const where = UUID.test(value)
      ? { id: value }
      : PARTNER_ID.test(value)
        ? { mpnId: value }
        : { domain: value };
    const tenant = await this.em.findOne(Tenant, where);
    return tenant?.id ?? null;
  }
}
