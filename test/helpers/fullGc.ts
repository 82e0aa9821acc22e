import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** One full garbage collection, for tests of what the live heap reports; the service never asks for one. */
export function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
