/** The queries each benchmark run cycles through: many different callers per run. */
import { readFileSync } from 'node:fs';

type Row = [string, number, number, string, ...unknown[]];
const zips = (JSON.parse(readFileSync('data/zips.json', 'utf8')) as { rows: Row[] }).rows.map((r) => r);
// Assigned exchanges (NPA-NXX) across every area code, as real callers have.
const exchanges = (JSON.parse(readFileSync('data/exchanges.json', 'utf8')) as { exchanges: { rows: [number][] } })
  .exchanges.rows;
const npaNxx = (i: number) => String(exchanges[(i * 7919) % exchanges.length]![0]);

function spread<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}
const line = (i: number) => String(1000 + ((i * 7919) % 9000));

export const PROFILES: Record<string, string[]> = {
  'phone E.164': spread(5000, (i) => `/v1/route?phone=${encodeURIComponent(`+1${npaNxx(i)}${line(i)}`)}`),
  'phone as typed': spread(5000, (i) => {
    const n = npaNxx(i);
    return `/v1/route?phone=${encodeURIComponent(`(${n.slice(0, 3)}) ${n.slice(3)}-${line(i)}`)}`;
  }),
  zip: spread(5000, (i) => `/v1/route?zip=${zips[(i * 7919) % zips.length]![0]}`),
  location: spread(5000, (i) => {
    const z = zips[(i * 104729) % zips.length]!;
    const lat = (z[1] + ((i % 7) - 3) * 0.013).toFixed(4);
    const lon = (z[2] + ((i % 5) - 2) * 0.017).toFixed(4);
    return `/v1/route?lat=${lat}&lon=${lon}`;
  }),
};
