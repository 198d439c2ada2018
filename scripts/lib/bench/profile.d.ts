/** Types of scripts/lib/bench/profile.js for the TypeScript tests that use it. */
export interface ProfileSummary {
  file: string;
  totalMs: number;
  busyMs: number;
  windowed: boolean;
  functions: { name: string; location: string; selfMs: number; share: number }[];
  packages: { name: string; selfMs: number; share: number }[];
  ourFunctions: { name: string; location: string; totalMs: number; share: number }[];
}
export function profileFileOf(dir: string, pid: number): string | null;
export function summarizeProfile(
  file: string,
  root: string,
  window?: { fromUs: number; toUs: number },
  top?: number,
): ProfileSummary;
export function monotonicUs(): number;
