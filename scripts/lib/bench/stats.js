// @ts-check
'use strict';
/** Percentiles and plain-text tables for the benchmark's figures. */

/**
 * Nearest-rank percentiles of `values` (any order).
 * @param {number[]} values @param {number[]} ps e.g. [50, 95, 99]
 * @returns {Record<string, number | null>} `{ p50: …, p99: … }`, null without values
 */
function percentiles(values, ps) {
  const sorted = Float64Array.from(values).sort();
  /** @type {Record<string, number | null>} */
  const out = {};
  for (const p of ps) {
    out[`p${p}`] =
      sorted.length === 0
        ? null
        : sorted[
            Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
          ];
  }
  return out;
}

/** @param {number[]} values */
function mean(values) {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * A number for a table: `digits` decimals, thousands separated; `—` for null/NaN.
 * @param {number | null | undefined} value @param {number} [digits]
 */
function fmt(value, digits = 0) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Milliseconds with a unit, precision by size. @param {number | null | undefined} ms */
function ms(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return `${fmt(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`;
}

/**
 * A plain-text table: a header row, a rule, the rows; a column whose cells all look like figures
 * (`1,234.5`, `12 ms`, `40 / 73 %`, `—`) is right-aligned.
 * @param {string[]} header @param {(string | number)[][]} rows @param {string} [indent]
 */
function table(header, rows, indent = '  ') {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const figure = (/** @type {string} */ text) =>
    text === '' || /^([-+]?[\d,.]+( \/ [\d,.]+)?( ?(ms|%))?|—)$/.test(text);
  const right = header.map((_, i) => i > 0 && cells.slice(1).every((row) => figure(row[i] ?? '')));
  const line = (/** @type {string[]} */ row) =>
    indent +
    row
      .map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    line(cells[0]),
    indent + widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

module.exports = { percentiles, mean, fmt, ms, table };
