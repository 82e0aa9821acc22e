import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * One full garbage collection once the service has started, before it listens.
 *
 * Why: the last part of the start (tables compiled, routes' validators and serializers built)
 * comes after V8's last full GC of the start, and its garbage is promoted to the old generation:
 * ~40-50 MB beside ~30 MB alive (`--trace-gc`: 28 MB after the start's last full GC, 67 MB a
 * moment later). The next full GC is due only when the old generation reaches 3× what the last
 * one left (heapGrowth.ts); steady traffic promotes ~0.1 MB/s, so that garbage stayed in RSS for
 * many minutes, the difference between ~150 and ~215 MB after load. Collected here, before the
 * first caller, it costs the start a few tens of milliseconds and no request anything.
 *
 * `gc` is reached through a fresh context so that the service's own global scope never has it.
 */
export function collectStartupGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
