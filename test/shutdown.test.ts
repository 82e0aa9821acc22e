import t from 'tap';
import { EventEmitter, once } from 'node:events';
import { installGracefulShutdown } from '../src/shutdown.js';
import { shippedApp } from './helpers/app.js';

type Signals = EventEmitter & Pick<NodeJS.Process, 'once'>;

t.test('on SIGTERM the app closes, onClosed runs (Redis), and the exit code is 0', async (t) => {
  const { app, logs } = await shippedApp();
  const signals = new EventEmitter() as Signals;
  const exits = new EventEmitter();
  let closedRedis = false;
  installGracefulShutdown(app, {
    timeoutMs: 2000,
    signals,
    exit: (code) => exits.emit('exit', code),
    onClosed: async () => void (closedRedis = true),
  });
  signals.emit('SIGTERM');
  signals.emit('SIGINT'); // a second signal does not start a second shutdown
  const [code] = await once(exits, 'exit');
  t.equal(code, 0);
  t.equal(closedRedis, true);
  t.equal(
    (await app.inject({ method: 'GET', url: '/healthz' }).catch((e: Error) => e)) instanceof Error,
    true,
    'the app is closed',
  );
  t.equal(logs.lines.filter((l) => l.includes('shutting down')).length, 1);
});

t.test('a shutdown that outlasts its bound exits 1', async (t) => {
  const { app } = await shippedApp();
  const signals = new EventEmitter() as Signals;
  const codes: number[] = [];
  let finishLate: () => void = () => {};
  const lateFinish = new Promise<void>((resolve) => (finishLate = resolve));
  installGracefulShutdown(app, {
    timeoutMs: 50,
    signals,
    exit: (code) => codes.push(code),
    onClosed: () => new Promise((resolve) => setTimeout(resolve, 300)).then(finishLate),
  });
  signals.emit('SIGINT');
  await lateFinish;
  await new Promise((resolve) => setImmediate(resolve));
  t.same(codes, [1], 'exit 1 at the bound, and no second exit when the slow close finally ends');
});
