/**
 * Local minute-of-week for an instant in an IANA time zone, DST included.
 *
 * Intl is far too slow for the hot path, so the UTC offset of each zone is memoised for the
 * quarter hour containing the instant: zone offsets only change on quarter-hour boundaries,
 * so the memo is exact, and the hot path costs a Map lookup and some arithmetic.
 */
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

type OffsetMemo = { from: number; offsetMs: number };

export class TimeZoneClock {
  private readonly memo = new Map<string, OffsetMemo>();
  private readonly formatters = new Map<string, Intl.DateTimeFormat>();

  /** Minutes since Monday 00:00 local time. */
  minuteOfWeek(timeZone: string, nowMs: number): number {
    const local = nowMs + this.offsetMs(timeZone, nowMs);
    const days = Math.floor(local / DAY_MS);
    // 1970-01-01 was a Thursday: with Monday = 0 it is day 3.
    const weekday = (((days + 3) % 7) + 7) % 7;
    const minuteOfDay = Math.floor((local - days * DAY_MS) / 60000);
    return weekday * 1440 + minuteOfDay;
  }

  offsetMs(timeZone: string, nowMs: number): number {
    const from = Math.floor(nowMs / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
    const hit = this.memo.get(timeZone);
    if (hit !== undefined && hit.from === from) return hit.offsetMs;
    const offsetMs = this.computeOffsetMs(timeZone, from);
    this.memo.set(timeZone, { from, offsetMs });
    return offsetMs;
  }

  private computeOffsetMs(timeZone: string, instant: number): number {
    let format = this.formatters.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      this.formatters.set(timeZone, format);
    }
    const parts: Record<string, number> = {};
    for (const p of format.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return asUtc - Math.floor(instant / 1000) * 1000;
  }
}

/**
 * An IANA zone name. Offsets like "+05:00" are refused though Node 24's ICU accepts them: a fixed
 * offset ignores daylight saving, so a center's hours would be an hour off half the year.
 */
export function isValidTimeZone(timeZone: string): boolean {
  let valid = knownZones.get(timeZone);
  if (valid === undefined) {
    valid = /^[A-Za-z]/.test(timeZone) && acceptedByIntl(timeZone);
    if (knownZones.size < 1000) knownZones.set(timeZone, valid);
  }
  return valid;
}

// A table names a few zones hundreds of times; building a formatter for each row was most of validating it.
const knownZones = new Map<string, boolean>();

function acceptedByIntl(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
