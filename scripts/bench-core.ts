/**
 * Micro-benchmark of the routing core on the shipped data: compile time and time per lookup.
 * Run: npm run bench:core. Not a test: it reports figures, it does not assert them.
 */
import { performance } from 'node:perf_hooks';
import { loadEmbeddedData } from '../src/dataset/loadEmbeddedDataset.js';
import { compileRoutingTable } from '../src/core/compileRoutingTable.js';
import { DEFAULT_POLICY } from '../src/core/types.js';
import { openCentersAt, route, type RouteQuery } from '../src/core/route.js';
import { TimeZoneClock } from '../src/core/timeZoneClock.js';

// A data dir as the service's DATA_DIR (npm run bench passes one with the national-scale table).
const data = await loadEmbeddedData(process.argv[2] ?? 'data');
const geography = data.geography.packed.unpack();
const compileRuns: number[] = [];
let table = compileRoutingTable(geography, data.prepared.dataset, DEFAULT_POLICY, data.prepared.version);
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  table = compileRoutingTable(geography, data.prepared.dataset, DEFAULT_POLICY, data.prepared.version);
  compileRuns.push(performance.now() - started);
}
const clock = { nowMs: Date.now(), zones: new TimeZoneClock() };

// Many different callers per run, so the figures are not one hot cache line.
const zips = geography.zips.map((z) => z.zip);
// Assigned exchanges across every area code, as real callers have.
const exchanges = geography.prefixes.filter((p) => p.prefix.length === 6).map((p) => p.prefix);
const npaNxx = (i: number) => exchanges[(i * 7919) % exchanges.length]!;
const line = (i: number) => String(1000 + ((i * 7919) % 9000));
const queries: Record<string, RouteQuery[]> = {
  'phone E.164': Array.from({ length: 4096 }, (_, i) => ({ kind: 'phone', phone: `+1${npaNxx(i)}${line(i)}` })),
  'phone as typed': Array.from({ length: 4096 }, (_, i) => {
    const n = npaNxx(i);
    return { kind: 'phone', phone: `(${n.slice(0, 3)}) ${n.slice(3)}-${line(i)}` } as const;
  }),
  zip: Array.from({ length: 4096 }, (_, i) => ({ kind: 'zip', zip: zips[(i * 7919) % zips.length]! })),
  location: Array.from({ length: 4096 }, (_, i) => ({ kind: 'location', lat: 30 + (i % 17), lon: -120 + (i % 43) })),
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const { stats } = table;
console.log(
  `dataset ${table.version}: ${stats.centers} centers, ${stats.zips} zips, ${stats.zip3s} zip3 areas, ` +
    `${stats.prefixes} prefixes`,
);
console.log(
  `compile full tables: median ${median(compileRuns).toFixed(0)} ms (of ${compileRuns.length} runs; target < 1000 ms)`,
);
const open = openCentersAt(table, clock);
for (const [name, list] of Object.entries(queries)) {
  const n = 400_000;
  for (let i = 0; i < 50_000; i++) route(table, list[i % list.length]!, open);
  const started = performance.now();
  for (let i = 0; i < n; i++) route(table, list[i % list.length]!, open);
  const us = ((performance.now() - started) * 1000) / n;
  console.log(`lookup ${name.padEnd(15)} ${us.toFixed(2)} µs per query (target < 2 µs)`);
}
const rssMb = (process.memoryUsage().rss / 1e6).toFixed(0);
console.log(`RSS of this microbenchmark (all tables in one process, not the service): ${rssMb} MB`);
