import t from 'tap';
import { CallOutcomes, OTHER_CENTER, centerOf, type LegOutcome } from '../../src/observability/callOutcomes.js';
import type { RoutingTable } from '../../src/core/types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// On a quarter-hour boundary, so the windows' edges fall where the test says.
const T0 = Date.UTC(2026, 0, 14, 15, 0);

/** Legs in each window, and in total, for one center at one instant. */
function legs(outcomes: CallOutcomes, id: string, nowMs: number) {
  const counted = outcomes.byCenter(nowMs).get(id);
  const sum = (counts: Record<LegOutcome, number> | undefined) =>
    counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
  return {
    '15m': sum(counted?.windows['15m']),
    '1h': sum(counted?.windows['1h']),
    '24h': sum(counted?.windows['24h']),
    total: sum(counted?.total),
  };
}

t.test('a leg counts in each window until it is older than the window, and in the totals for good', async (t) => {
  const outcomes = new CallOutcomes({ now: () => T0 });
  outcomes.record('ny-albany', 'answered', T0);
  outcomes.record('ny-albany', 'no-answer', T0 + 30_000);
  t.same(legs(outcomes, 'ny-albany', T0 + 30_000), { '15m': 2, '1h': 2, '24h': 2, total: 2 });
  t.same(legs(outcomes, 'ny-albany', T0 + 15 * MINUTE - 1), { '15m': 2, '1h': 2, '24h': 2, total: 2 });
  t.same(legs(outcomes, 'ny-albany', T0 + 15 * MINUTE), { '15m': 0, '1h': 2, '24h': 2, total: 2 });
  t.same(legs(outcomes, 'ny-albany', T0 + HOUR - 1), { '15m': 0, '1h': 2, '24h': 2, total: 2 });
  t.same(legs(outcomes, 'ny-albany', T0 + HOUR), { '15m': 0, '1h': 0, '24h': 2, total: 2 });
  t.same(legs(outcomes, 'ny-albany', T0 + 24 * HOUR - 1), { '15m': 0, '1h': 0, '24h': 2, total: 2 });
  t.same(legs(outcomes, 'ny-albany', T0 + 24 * HOUR), { '15m': 0, '1h': 0, '24h': 0, total: 2 });
  t.same(outcomes.byCenter(T0 + MINUTE).get('ny-albany')?.windows['15m'], {
    answered: 1,
    'no-answer': 1,
    busy: 0,
    failed: 0,
    'screened-out': 0,
  });
});

t.test('a bucket reused a day later holds only the new legs', async (t) => {
  const outcomes = new CallOutcomes();
  for (const outcome of ['busy', 'failed', 'screened-out'] as const) outcomes.record('c', outcome, T0);
  outcomes.record('c', 'answered', T0 + 24 * HOUR);
  const later = outcomes.byCenter(T0 + 24 * HOUR).get('c')!;
  t.same(later.windows['15m'], { answered: 1, 'no-answer': 0, busy: 0, failed: 0, 'screened-out': 0 });
  t.same(later.windows['24h'], later.windows['15m']);
  t.same(later.total, { answered: 1, 'no-answer': 0, busy: 1, failed: 1, 'screened-out': 1 });
});

t.test('a leg reported late lands in the windows that still cover it; older than that, in the totals', async (t) => {
  const outcomes = new CallOutcomes();
  outcomes.record('c', 'answered', T0 + 2 * HOUR);
  // Two hours late: its minute slot holds a newer minute, its quarter hour is still within the day.
  outcomes.record('c', 'no-answer', T0);
  t.same(legs(outcomes, 'c', T0 + 2 * HOUR), { '15m': 1, '1h': 1, '24h': 2, total: 2 });
  t.equal(outcomes.byCenter(T0 + 2 * HOUR).get('c')?.windows['24h']['no-answer'], 1);
});

t.test('the clock given is the default instant of a leg and of the view', async (t) => {
  let now = T0;
  const outcomes = new CallOutcomes({ now: () => now });
  outcomes.record('c', 'answered');
  now += 20 * MINUTE;
  t.same(legs(outcomes, 'c', outcomes.now()), { '15m': 0, '1h': 1, '24h': 1, total: 1 });
  t.equal(outcomes.since, T0);
});

t.test('ids that are not centers of the table share one entry, however many', async (t) => {
  const outcomes = new CallOutcomes({ isCenter: (id) => id === 'ny-albany' || id === 'national' });
  outcomes.record('ny-albany', 'answered', T0);
  outcomes.record('national', 'busy', T0);
  for (let i = 0; i < 100_000; i++) outcomes.record(`made-up-${i}`, 'failed', T0 + i);
  t.equal(outcomes.size, 3, 'two centers and the catch-all');
  t.same([...outcomes.totalsByCenter().keys()].sort(), [OTHER_CENTER, 'national', 'ny-albany']);
  t.equal(outcomes.totalsByCenter().get(OTHER_CENTER)?.failed, 100_000);
});

t.test('at most maxCenters ids are counted apart; ids the table dropped make room', async (t) => {
  let table = new Set(Array.from({ length: 80 }, (_, i) => `old-${i}`));
  const outcomes = new CallOutcomes({ isCenter: (id) => table.has(id), maxCenters: 50 });
  for (const id of table) outcomes.record(id, 'answered', T0);
  t.equal(outcomes.size, 51, 'fifty centers and the catch-all');
  t.equal(outcomes.totalsByCenter().get(OTHER_CENTER)?.answered, 30);
  t.equal(outcomes.byCenter(T0).get(OTHER_CENTER)?.windows['1h'].answered, 30);

  table = new Set(['old-0', 'new-a']);
  outcomes.record('new-a', 'busy', T0);
  t.same([...outcomes.totalsByCenter().keys()].sort(), [OTHER_CENTER, 'new-a', 'old-0']);

  // With no table to check against, the cap alone bounds memory.
  const unchecked = new CallOutcomes({ maxCenters: 20 });
  for (let i = 0; i < 10_000; i++) unchecked.record(`id-${i}`, 'no-answer', T0);
  t.equal(unchecked.size, 21);
});

t.test('an outcome outside the five is not counted', async (t) => {
  const outcomes = new CallOutcomes();
  outcomes.record('c', 'completed' as LegOutcome, T0);
  t.equal(outcomes.size, 0);
});

t.test('centerOf knows the national line and the centers of whichever table is current', async (t) => {
  const tableOf = (...ids: string[]) =>
    ({ national: { id: 'national' }, centers: ids.map((id) => ({ id })) }) as unknown as RoutingTable;
  let current: RoutingTable | null = null;
  const isCenter = centerOf(() => current);
  t.equal(isCenter('national'), false, 'no table, no centers');
  current = tableOf('a', 'b');
  t.same(['national', 'a', 'b', 'c'].map(isCenter), [true, true, true, false]);
  current = tableOf('c');
  t.same(['national', 'a', 'c'].map(isCenter), [true, false, true]);
});
