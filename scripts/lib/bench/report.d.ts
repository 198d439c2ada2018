/** Types of scripts/lib/bench/report.js for the TypeScript tests that use it. */
export function printReport(
  results: Record<string, unknown>,
  where: { root: string; runDir: string },
): string;
export function warmupText(
  warmup:
    | { seconds: number; accepted: number; cpu: Record<string, { cpuMs: number }> }
    | null
    | undefined,
): string;
