import t from 'tap';
import { isOpenAt, parseHours, type WeeklySchedule } from '../../src/core/hours.js';
import { TimeZoneClock } from '../../src/core/timeZoneClock.js';

const MON = 0,
  TUE = 1440,
  FRI = 4 * 1440,
  SAT = 5 * 1440,
  SUN = 6 * 1440;
const at = (day: number, hh: number, mm = 0) => day + hh * 60 + mm;

function schedule(text: string): WeeklySchedule {
  const result = parseHours(text);
  if (!result.ok) throw new Error(result.message);
  return result.schedule;
}

t.test('24/7 is always open', async (t) => {
  t.equal(schedule('24/7'), null);
  t.equal(isOpenAt(null, at(SUN, 3)), true);
});

t.test('weekday office hours: open from the first minute, closed at the closing minute', async (t) => {
  const s = schedule('Mo-Fr 09:00-17:00');
  t.equal(isOpenAt(s, at(MON, 8, 59)), false);
  t.equal(isOpenAt(s, at(MON, 9)), true);
  t.equal(isOpenAt(s, at(FRI, 16, 59)), true);
  t.equal(isOpenAt(s, at(FRI, 17)), false);
  t.equal(isOpenAt(s, at(SAT, 12)), false);
});

t.test('split days and several rules', async (t) => {
  const s = schedule('Mo-Fr 08:00-12:00,13:00-17:00; Sa,Su 10:00-16:00');
  t.equal(isOpenAt(s, at(TUE, 12, 30)), false, 'closed over lunch');
  t.equal(isOpenAt(s, at(TUE, 13)), true);
  t.equal(isOpenAt(s, at(SUN, 15, 59)), true);
  t.equal(isOpenAt(s, at(SUN, 16)), false);
});

t.test('overnight hours run past midnight, including from Sunday into Monday', async (t) => {
  const s = schedule('Mo-Su 18:00-02:00');
  t.equal(isOpenAt(s, at(TUE, 1, 30)), true, 'Monday night line still open at 01:30 Tuesday');
  t.equal(isOpenAt(s, at(TUE, 2)), false);
  t.equal(isOpenAt(s, at(MON, 1)), true, 'Sunday night wraps into Monday morning');
  t.equal(isOpenAt(s, at(SAT, 17, 59)), false);
});

t.test('ranges that cover the whole week collapse to always open', async (t) => {
  t.equal(schedule('Mo-Su 00:00-24:00'), null);
});

t.test('day ranges may wrap the weekend', async (t) => {
  const s = schedule('Fr-Mo 10:00-11:00');
  t.equal(isOpenAt(s, at(SUN, 10, 30)), true);
  t.equal(isOpenAt(s, at(TUE, 10, 30)), false);
});

t.test('bad hours are refused with a reason', async (t) => {
  for (const [text, pattern] of [
    ['', /empty/],
    ['Mon-Fri 09:00-17:00', /not a day/],
    ['Mo-Fr 9-5', /not a time range/],
    ['Mo-Fr 09:00-25:00', /not a time range/],
    ['Mo-Fr 10:00-10:00', /is empty/],
    ['always', /must be/],
  ] as const) {
    const result = parseHours(text);
    t.equal(result.ok, false, `"${text}" refused`);
    if (!result.ok) t.match(result.message, pattern);
  }
});

t.test("local time follows daylight saving time in the center's zone", async (t) => {
  const zones = new TimeZoneClock();
  const office = schedule('Mo-Fr 09:00-17:00');
  // Friday 2026-03-06 13:30 UTC is 08:30 EST: closed. Monday 2026-03-09 13:30 UTC is 09:30 EDT: open.
  t.equal(isOpenAt(office, zones.minuteOfWeek('America/New_York', Date.UTC(2026, 2, 6, 13, 30))), false);
  t.equal(isOpenAt(office, zones.minuteOfWeek('America/New_York', Date.UTC(2026, 2, 9, 13, 30))), true);
  // After DST ends (Sunday 2026-11-01), 13:30 UTC on Monday is 08:30 EST again: closed.
  t.equal(isOpenAt(office, zones.minuteOfWeek('America/New_York', Date.UTC(2026, 10, 2, 13, 30))), false);
  // Phoenix keeps standard time all year: 16:30 UTC is 09:30 in both January and July.
  t.equal(zones.minuteOfWeek('America/Phoenix', Date.UTC(2026, 0, 5, 16, 30)), at(MON, 9, 30));
  t.equal(zones.minuteOfWeek('America/Phoenix', Date.UTC(2026, 6, 6, 16, 30)), at(MON, 9, 30));
});

t.test('the offset memo is exact across the moment a transition happens', async (t) => {
  const zones = new TimeZoneClock();
  // 2026-03-08 06:59 UTC is 01:59 EST; a minute later it is 03:00 EDT.
  t.equal(zones.minuteOfWeek('America/New_York', Date.UTC(2026, 2, 8, 6, 59)), at(SUN, 1, 59));
  t.equal(zones.minuteOfWeek('America/New_York', Date.UTC(2026, 2, 8, 7, 0)), at(SUN, 3, 0));
});
