import type { SoakReport } from './runSoak.js';

const mb = (n: number) => `${n.toFixed(1)} MB`;

/** The soak's figures as a plain-text summary. */
export function formatSoakReport(r: SoakReport): string {
  const rows: Array<[string, string]> = [
    ['duration', `${r.seconds.toFixed(1)} s`],
    ['requests', `${r.requests} (${r.requestsPerSecond.toFixed(0)}/s)`],
    ['failures', `${r.failures}${r.failures ? ` ${JSON.stringify(r.failureKinds)}` : ''}`],
    [
      'latency p50 / p99 / max',
      `${r.latencyMs.p50.toFixed(1)} / ${r.latencyMs.p99.toFixed(1)} / ${r.latencyMs.max.toFixed(1)} ms`,
    ],
    [
      'activations',
      `${r.activations.ok} ok of ${r.activations.attempted} (` +
        `${r.activations.storeUnavailable} answered 503 while Redis was down, ` +
        `${r.activations.reuploads} re-uploads after an empty restart, ${r.activations.other} other)`,
    ],
    ['Redis kills (SIGKILL, restarted empty)', String(r.redisKills)],
    ['converged on the last activation', r.converged ? 'yes' : 'NO'],
  ];
  const growth = (percent: number) => `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
  for (const i of r.instances) {
    const warmAt = i.warmAtSeconds === null ? 'never' : `${i.warmAtSeconds.toFixed(1)} s`;
    rows.push([`${i.name}`, `${i.requests} requests, ${i.versionsServed} versions served, exit ${i.exitCode}`]);
    rows.push([
      `${i.name} live heap after warm-up / end`,
      `${mb(i.liveHeapAfterWarmupMb)} / ${mb(i.liveHeapEndMb)} (${growth(i.liveHeapGrowthPercent)})`,
    ]);
    rows.push([
      `${i.name} RSS ready / after warm-up / end / max`,
      `${mb(i.rssReadyMb)} / ${mb(i.rssAfterWarmupMb)} / ${mb(i.rssEndMb)} / ${mb(i.rssMaxMb)} ` +
        `(${growth(i.rssGrowthPercent)}; warm at ${warmAt})`,
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  lines.push('', r.passed ? 'PASSED' : `FAILED: ${r.reasons.join('; ')}`);
  lines.push(
    'slowest answers:',
    ...r.slowest.map((s) => `  ${s.ms.toFixed(0)} ms at ${s.atSeconds.toFixed(1)} s from ${s.instance}`),
  );
  if (r.firstFailures.length) lines.push('first failures:', ...r.firstFailures.map((f) => `  ${f}`));
  return lines.join('\n');
}
