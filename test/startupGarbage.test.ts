import t from 'tap';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { collectStartupGarbage } from '../src/startupGarbage.js';

t.test('collecting the start-up garbage frees what nothing holds, without exposing gc to the service', async (t) => {
  let garbage: object | null = { rows: Array.from({ length: 100_000 }, (_, i) => ({ i })) };
  const ref = new WeakRef(garbage);
  garbage = null;
  await nextTurn(); // a WeakRef keeps its target alive until the turn that made it ends
  collectStartupGarbage();
  t.equal(ref.deref(), undefined, 'collected');
  t.equal((globalThis as { gc?: unknown }).gc, undefined, 'the service’s own global scope has no gc');
});
