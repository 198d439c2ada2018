import { useOutletContext } from 'react-router';
import type { PortalRoute } from './portal-route';

/** What the shell hands to every page through the router's outlet. */
export interface ShellContext {
  /** Every page of the portal (the home page lists the signed-in audience's links). */
  routes: PortalRoute[];
}

/** The shell's context (see {@link ShellContext}). */
export function useShell(): ShellContext {
  return useOutletContext<ShellContext>();
}
