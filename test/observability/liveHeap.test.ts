import t from 'tap';
import { PerformanceObserver } from 'node:perf_hooks';
import { isFullCollection, LiveHeap } from '../../src/observability/liveHeap.js';
import { fullGc } from '../helpers/fullGc.js';

/** One full GC, resolved once its performance entry has been handed to every observer. */
async function collected(): Promise<void> {
  // Node hands out GC entries from an unreferenced task, run only when the event loop turns:
  // keep it turning (and the process alive) until the entry comes.
  const keepAlive = setInterval(() => {}, 10);
  const seen = new Promise<void>((resolve) => {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntries().some(isFullCollection)) {
        observer.disconnect();
        clearInterval(keepAlive);
        resolve();
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  });
  fullGc();
  await seen;
}

const MB = 1024 * 1024;

t.test('the live heap is what a full GC leaves: it grows with what is kept and falls when it is let go', async (t) => {
  const heap = new LiveHeap();
  t.teardown(() => heap.stop());
  await collected();
  const before = heap.liveBytes;
  t.ok(heap.collections >= 1, 'a full collection was seen');

  const holder: { kept: number[] | null } = { kept: new Array<number>(5_000_000).fill(1.5) }; // ~40 MB of doubles
  await collected();
  const holding = heap.liveBytes;
  t.ok(holding - before >= 35 * MB, `kept ~40 MB: ${((holding - before) / MB).toFixed(1)} MB more`);
  t.equal(holder.kept?.length, 5_000_000, 'still held when counted');

  holder.kept = null;
  await collected();
  t.ok(heap.liveBytes - before < 5 * MB, `let go: ${((heap.liveBytes - before) / MB).toFixed(1)} MB above the start`);
});

t.test('a scavenge of the young generation does not move it', async (t) => {
  const heap = new LiveHeap();
  t.teardown(() => heap.stop());
  await collected();
  const after = { bytes: heap.liveBytes, collections: heap.collections };
  // Short-lived garbage: scavenges only.
  let sum = 0;
  for (let i = 0; i < 200_000; i++) sum += [i, i + 1].length;
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(sum, 400_000, 'the garbage was made');
  t.equal(heap.collections, after.collections, 'no full collection counted');
  t.equal(heap.liveBytes, after.bytes, 'the live heap is unchanged');
});
