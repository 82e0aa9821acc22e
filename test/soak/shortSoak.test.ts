import t from 'tap';
import { runSoak } from '../../scripts/soak/runSoak.js';
import { formatSoakReport } from '../../scripts/soak/report.js';

// More than tap's per-file timeout (that one is for hangs): a fixed-length soak, two instances starting around it.
t.setTimeout(240_000);

/**
 * The chaos soak, short: two instances as real processes (src/server.ts through tsx, so CI needs
 * no build) on one redis-server, under steady paced load for 20 s while versions are activated every
 * 2.5 s and Redis is killed and restarted empty twice. `npm run soak` is the long version, at full load.
 */
t.test(
  '20 s of load through activations and Redis crashes: no caller fails, the instances converge',
  { skip: process.env.REDIS_URL ? 'the soak kills its own Redis: unset REDIS_URL' : false },
  async (t) => {
    const report = await runSoak({
      seconds: Number(process.env.SHORT_SOAK_SECONDS ?? 20),
      instances: 2,
      connections: 6,
      // Paced (up to 300 requests/s in all), so the rest of npm test keeps its share of the 2 cores.
      requestIntervalMs: 20,
      activateEveryMs: 2500,
      killEveryMs: 8000,
      redisDownMs: 1500,
      variants: 2,
      // The shipped sample's size: RAINN-scale compiles (npm run soak) would crowd the rest of npm test.
      centers: 200,
      // 60 s is too short to tell GC noise from growth as finely as the long run does (25%).
      maxRssGrowthPercent: 50,
      serverCommand: ['--import', 'tsx', 'src/server.ts'],
    });
    t.comment(formatSoakReport(report));
    if (!report.passed) t.comment(report.events.join('\n'));
    t.equal(report.failures, 0, 'no caller got a failure');
    t.ok(report.requests > 1000, `steady load: ${report.requests} requests`);
    t.ok(report.redisKills >= 1, 'Redis was killed and restarted');
    t.ok(report.activations.ok >= 3, `versions were activated: ${report.activations.ok}`);
    for (const instance of report.instances) {
      t.ok(instance.versionsServed >= 2, `${instance.name} served ${instance.versionsServed} versions`);
      t.equal(instance.exitCode, 0, `${instance.name} shut down cleanly`);
    }
    t.ok(report.converged, 'both instances serve the last activated version');
    t.ok(report.passed, report.reasons.join('; ') || 'passed');
  },
);
