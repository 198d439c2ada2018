/**
 * The ISO 8601 durations of a delegated admin relationship (Graph `duration`: "P1D ≤ duration ≤
 * P2Y", examples P730D, P31D; ../shared/reference/partner-center-api.md §12.1). No maintained ISO
 * 8601 duration parser is a dependency of the project, so this strict one takes exactly the forms
 * Graph documents for the relationship: one number and one unit of days, weeks, months or years
 * (`P30D`, `P4W`, `P6M`, `P2Y`). Anything else (combined units, times, fractions, signs) is refused.
 */
const DURATION = /^P([1-9][0-9]{0,3})([DWMY])$/;

/** The longest relationship: two years (`P2Y`), counted as 730 days for day and week forms. */
export const MAX_DURATION_DAYS = 730;

/** A parsed duration: a count of one unit. */
export interface GdapDuration {
  count: number;
  unit: 'D' | 'W' | 'M' | 'Y';
}

/** The duration `text` names, or null when it is not one of the accepted forms or out of P1D..P2Y. */
export function parseGdapDuration(text: string): GdapDuration | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  const count = Number(match[1]);
  const unit = match[2] as GdapDuration['unit'];
  const months = unit === 'M' ? count : unit === 'Y' ? count * 12 : null;
  if (months !== null) return months <= 24 ? { count, unit } : null;
  const days = unit === 'W' ? count * 7 : count;
  return days <= MAX_DURATION_DAYS ? { count, unit } : null;
}

/** `start` plus `duration`, in UTC calendar terms (months and years keep the day of month). */
export function addGdapDuration(start: Date, duration: GdapDuration): Date {
  const end = new Date(start.getTime());
  switch (duration.unit) {
    case 'D':
      end.setUTCDate(end.getUTCDate() + duration.count);
      break;
    case 'W':
      end.setUTCDate(end.getUTCDate() + duration.count * 7);
      break;
    case 'M':
      end.setUTCMonth(end.getUTCMonth() + duration.count);
      break;
    case 'Y':
      end.setUTCFullYear(end.getUTCFullYear() + duration.count);
      break;
  }
  return end;
}

/** The auto-extension values Graph accepts (`PT0S` default and `P0D`: none; `P180D`: 180 days). */
export const AUTO_EXTEND_DURATIONS = ['PT0S', 'P0D', 'P180D'] as const;
export type AutoExtendDuration = (typeof AUTO_EXTEND_DURATIONS)[number];
/** Days an auto-extending relationship rolls forward at its end. */
export const AUTO_EXTEND_DAYS = 180;
