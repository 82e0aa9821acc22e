// Loaded into the service with --require by memoryPhases.ts (MEMORY_PROBE=1), never shipped: on
// SIGUSR2 it writes process.memoryUsage() and the V8 heap spaces, before and after a full GC
// (--expose-gc), to $MEMORY_PROBE_OUT.<n>; every full GC is logged to stderr as it happens.
const v8 = require('node:v8');
const fs = require('node:fs');
const { PerformanceObserver, constants } = require('node:perf_hooks');

const mb = (bytes) => Math.round(bytes / 104857.6) / 10;
function snapshot() {
  const m = process.memoryUsage();
  const spaces = Object.fromEntries(
    v8
      .getHeapSpaceStatistics()
      .map((s) => [s.space_name.replace(/_space$/, ''), [mb(s.space_size), mb(s.space_used_size)]]),
  );
  return {
    rss: mb(m.rss),
    heapTotal: mb(m.heapTotal),
    heapUsed: mb(m.heapUsed),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
    spaces,
  };
}

let n = 0;
process.on('SIGUSR2', () => {
  const out = { before: snapshot() };
  if (global.gc) {
    global.gc();
    out.afterGc = snapshot();
  }
  fs.writeFileSync(`${process.env.MEMORY_PROBE_OUT}.${n++}`, JSON.stringify(out));
});

const started = Date.now();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
    const m = process.memoryUsage();
    const at = ((Date.now() - started) / 1000).toFixed(1);
    const after = `heap used after ${mb(m.heapUsed)} MB, rss ${mb(m.rss)} MB`;
    process.stderr.write(`  [full GC at ${at} s: ${entry.duration.toFixed(1)} ms, ${after}]\n`);
  }
}).observe({ entryTypes: ['gc'] });
