// @ts-check
'use strict';
/** The drill's table: one row per drill, the columns README "Failure drills" explains. */

/**
 * @param {import('./drills').DrillResult[]} results
 * @param {number} maxSeconds the bar for the last email after the fault ended
 * @returns {string}
 */
function formatTable(results, maxSeconds) {
  const header = [
    'drill',
    'accepted',
    'refused/failed',
    'retried',
    'delivered',
    'extra copies',
    'lost',
    `max s after fault end (≤ ${maxSeconds})`,
    'webhooks delivered/dup/lost',
    'result',
  ];
  const rows = results.map((r) => [
    `${r.drill} ${r.label}`,
    String(r.accepted),
    String(r.refused),
    r.retried === null || r.retried === undefined ? '-' : String(r.retried),
    String(r.delivered),
    `${r.extraCopies} (≤ ${r.extraCopiesAllowed})`,
    String(r.lost),
    r.maxSecondsAfterFaultEnd === null ? '-' : r.maxSecondsAfterFaultEnd.toFixed(1),
    `${r.webhooksDelivered}/${r.webhookDuplicates}/${r.webhooksLost}`,
    r.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i].length)),
  );
  const line = (/** @type {string[]} */ cells) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ');
  const notes = results
    .filter((r) => !r.pass)
    .map((r) => `  drill ${r.drill} (${r.label}): ${r.failures.join('; ')}`);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(notes.length > 0 ? ['', 'Missed the bar:', ...notes] : []),
  ].join('\n');
}

module.exports = { formatTable };
