/** Types of scripts/lib/bench/stats.js for the TypeScript tests that use it. */
export function percentiles(values: number[], ps: number[]): Record<string, number | null>;
export function mean(values: number[]): number | null;
export function fmt(value: number | null | undefined, digits?: number): string;
export function ms(value: number | null | undefined): string;
export function table(header: string[], rows: (string | number)[][], indent?: string): string;
