/**
 * Opening hours: a small, spreadsheet-friendly grammar compiled to minute-of-week intervals.
 *
 *   24/7
 *   Mo-Fr 09:00-17:00
 *   Mo-Fr 08:00-12:00,13:00-17:00; Sa,Su 10:00-16:00
 *   Mo-Su 18:00-02:00          (an end before the start runs past midnight)
 *
 * Days are Mo Tu We Th Fr Sa Su; times are local to the center's time zone.
 */

export const MINUTES_PER_WEEK = 7 * 24 * 60;
const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;

/** Half-open [start, end) minute-of-week ranges, Monday 00:00 = 0; `null` means always open. */
export type WeeklySchedule = null | ReadonlyArray<readonly [number, number]>;

export type HoursParseResult = { ok: true; schedule: WeeklySchedule } | { ok: false; message: string };

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

function parseTime(text: string): number | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

function parseDays(text: string): number[] | string {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to, extra] = part.split('-');
    const a = DAYS.indexOf(from as (typeof DAYS)[number]);
    const b = to === undefined ? a : DAYS.indexOf(to as (typeof DAYS)[number]);
    if (extra !== undefined || a < 0 || b < 0)
      return `"${part}" is not a day or day range (use Mo Tu We Th Fr Sa Su, e.g. Mo-Fr or Sa,Su)`;
    // Ranges may wrap the week end: Fr-Mo is Fr, Sa, Su, Mo.
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return [...days];
}

export function parseHours(input: string): HoursParseResult {
  const text = input.trim();
  if (text === '24/7') return { ok: true, schedule: null };
  if (text === '') return { ok: false, message: 'hours are empty (use 24/7 or e.g. "Mo-Fr 09:00-17:00")' };
  const intervals: Array<[number, number]> = [];
  for (const rule of text
    .split(';')
    .map((r) => r.trim())
    .filter(Boolean)) {
    const match = /^(\S+)\s+(\S+)$/.exec(rule);
    if (!match) return { ok: false, message: `"${rule}" must be "<days> <HH:MM-HH:MM>[,<HH:MM-HH:MM>]"` };
    const days = parseDays(match[1]!);
    if (typeof days === 'string') return { ok: false, message: days };
    for (const range of match[2]!.split(',')) {
      const [startText, endText, extra] = range.split('-');
      const start = startText === undefined ? undefined : parseTime(startText);
      const end = endText === undefined ? undefined : parseTime(endText);
      if (extra !== undefined || start === undefined || end === undefined || start === 24 * 60) {
        return { ok: false, message: `"${range}" is not a time range HH:MM-HH:MM (00:00 to 24:00)` };
      }
      if (start === end)
        return { ok: false, message: `"${range}" is empty; write 24/7 or Mo-Su 00:00-24:00 for always open` };
      const length = end > start ? end - start : 24 * 60 - start + end;
      for (const day of days) addInterval(intervals, day * 1440 + start, length);
    }
  }
  return { ok: true, schedule: normalise(intervals) };
}

function addInterval(into: Array<[number, number]>, start: number, length: number): void {
  const end = start + length;
  if (end <= MINUTES_PER_WEEK) into.push([start, end]);
  else into.push([start, MINUTES_PER_WEEK], [0, end - MINUTES_PER_WEEK]);
}

function normalise(intervals: Array<[number, number]>): WeeklySchedule {
  intervals.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of intervals) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const first = merged[0];
  if (merged.length === 1 && first && first[0] === 0 && first[1] === MINUTES_PER_WEEK) return null;
  return merged;
}

export function isOpenAt(schedule: WeeklySchedule, minuteOfWeek: number): boolean {
  if (schedule === null) return true;
  for (let i = 0; i < schedule.length; i++) {
    const interval = schedule[i]!;
    if (minuteOfWeek < interval[0]) return false;
    if (minuteOfWeek < interval[1]) return true;
  }
  return false;
}
