import t from 'tap';
import { FixedWindowCounter } from '../../src/http/rateLimit/fixedWindowCounter.js';

t.test('hits are counted per key within a window aligned to the clock, and start afresh in the next', async (t) => {
  const counter = new FixedWindowCounter(60_000);
  const start = 1_800_000_000_000; // a whole minute
  t.same(
    [
      counter.hit('a', start),
      counter.hit('a', start + 1),
      counter.hit('b', start + 2),
      counter.hit('a', start + 59_999),
    ],
    [1, 2, 1, 3],
  );
  t.equal(counter.secondsLeft(start + 59_999), 1, 'at least a second, never 0');
  t.equal(counter.secondsLeft(start + 30_500), 30);
  t.same([counter.hit('a', start + 60_000), counter.hit('b', start + 60_001)], [1, 1], 'the next window');
});

t.test('past maxKeys a new key is not counted, so it is never refused; known keys still are', async (t) => {
  const counter = new FixedWindowCounter(1000, 2);
  t.same(
    [counter.hit('a', 0), counter.hit('b', 0), counter.hit('c', 0), counter.hit('c', 1), counter.hit('a', 2)],
    [1, 1, 0, 0, 2],
  );
  t.equal(counter.hit('c', 1000), 1, 'counted again once the window clears');
});
