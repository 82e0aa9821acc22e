/**
 * npm run soak: the chaos soak at full length (see scripts/soak/runSoak.ts and README "Proving it
 * doesn't break"). Exits 1 when a caller got a failure, memory grew, or the instances diverged.
 */
import { DEFAULT_SOAK, runSoak } from './soak/runSoak.js';
import { formatSoakReport } from './soak/report.js';

const number = (name: string, fallback: number) => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
};

const report = await runSoak({
  seconds: number('SOAK_SECONDS', DEFAULT_SOAK.seconds),
  instances: number('SOAK_INSTANCES', DEFAULT_SOAK.instances),
  connections: number('SOAK_CONNECTIONS', DEFAULT_SOAK.connections),
  activateEveryMs: number('SOAK_ACTIVATE_EVERY_MS', DEFAULT_SOAK.activateEveryMs),
  killEveryMs: number('SOAK_KILL_EVERY_MS', DEFAULT_SOAK.killEveryMs),
  redisDownMs: number('SOAK_REDIS_DOWN_MS', DEFAULT_SOAK.redisDownMs),
  maxRssGrowthPercent: number('SOAK_MAX_RSS_GROWTH_PERCENT', DEFAULT_SOAK.maxRssGrowthPercent),
  log: (line) => console.error(line),
});
console.log(formatSoakReport(report));
process.exitCode = report.passed ? 0 : 1;
