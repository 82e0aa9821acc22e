/**
 * The chaos soak: instances of the service as real processes on one redis-server, under steady
 * load, while table versions are activated every few seconds and Redis is killed (SIGKILL) and
 * restarted empty. Reports what callers got, latency, memory, and what the chaos did.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedis } from '../../test/helpers/redisServer.js';
import { liveHeapMb, startServiceProcess, rssMb, type ServiceProcess } from './instances.js';
import { LoadGenerator, type LoadReport } from './load.js';
import { tableVariants } from './variants.js';
import { readFileSync } from 'node:fs';
import { RECENT_VERSIONS } from '../../src/store/tableFollower.js';

export type SoakOptions = {
  seconds: number;
  instances: number;
  connections: number;
  /** Each connection starts a request at most this often; 0 (the default) sends them back to back. */
  requestIntervalMs?: number;
  activateEveryMs: number;
  killEveryMs: number;
  /** How long Redis stays down after each kill. */
  redisDownMs: number;
  /** Versions uploaded besides the sample. */
  variants: number;
  /** Centers in each table version: RAINN's scale by default; the shipped sample's size is quicker. */
  centers: number;
  /** Largest RSS growth allowed from after warm-up (see WARM_AFTER_VERSIONS) to the end, in percent. */
  maxRssGrowthPercent: number;
  /** Node arguments that start the service: dist/src/server.js after a build, or tsx on src/server.ts. */
  serverCommand: readonly string[];
  log?: (line: string) => void;
};

export const DEFAULT_SOAK: SoakOptions = {
  seconds: 120,
  instances: 2,
  connections: 10,
  activateEveryMs: 4000,
  killEveryMs: 15_000,
  redisDownMs: 2000,
  variants: 3,
  centers: 1100,
  maxRssGrowthPercent: 25,
  serverCommand: ['dist/src/server.js'],
};

export type InstanceReport = {
  name: string;
  requests: number;
  versionsServed: number;
  warmAtSeconds: number | null;
  rssReadyMb: number;
  rssAfterWarmupMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  rssGrowthPercent: number;
  rssJudged: boolean;
  liveHeapAfterWarmupMb: number;
  liveHeapEndMb: number;
  liveHeapGrowthPercent: number;
  exitCode: number | null;
};

export type SoakReport = {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  failures: number;
  failureKinds: Record<string, number>;
  firstFailures: string[];
  latencyMs: LoadReport['latencyMs'];
  slowest: LoadReport['slowest'];
  /** What the chaos did and when, seconds into the run. */
  events: string[];
  instances: InstanceReport[];
  activations: { attempted: number; ok: number; storeUnavailable: number; reuploads: number; other: number };
  redisKills: number;
  converged: boolean;
  passed: boolean;
  reasons: string[];
};

const TOKEN = 'soak-admin-token-0123456789';

/**
 * An instance is warm once it has answered with this many different versions: it keeps
 * RECENT_VERSIONS compiled, so the next first compile is the first to replace one, and from then on
 * its heap is at the size that serving and compiling need. Before that, RSS climbs with each first
 * compile, which is the heap reaching its working size, not a leak.
 */
const WARM_AFTER_VERSIONS = RECENT_VERSIONS + 1;

export async function runSoak(partial: Partial<SoakOptions> = {}): Promise<SoakReport> {
  const options = { ...DEFAULT_SOAK, ...partial };
  const log = options.log ?? (() => {});
  const redis = await startRedis();
  if (!redis.managed) throw new Error('the soak starts, kills and restarts its own redis-server: unset REDIS_URL');
  const services: ServiceProcess[] = [];
  try {
    const env = {
      REDIS_URL: redis.url,
      ADMIN_TOKEN: `soak:${TOKEN}`,
      TABLES_RECHECK_MS: '500',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      // Limits stay on (the limiter runs, and skips counting while Redis is down) but far above the load.
      RATE_LIMIT_TELEPHONY_PER_IP: '1000000000',
      RATE_LIMIT_PUBLIC_PER_IP: '1000000000',
      RATE_LIMIT_ADMIN_PER_IP: '1000000',
    };
    services.push(
      ...(await Promise.all(
        Array.from({ length: options.instances }, (_, i) =>
          startServiceProcess(`instance ${i + 1}`, options.serverCommand, env),
        ),
      )),
    );
    log(
      `${services.length} instances ready on ports ${services.map((s) => s.port).join(', ')}; Redis on ${redis.port}`,
    );
    const rssReady = services.map((s) => rssMb(s.pid));

    const { variants, nationalPhone } = await tableVariants(options.variants, options.centers);
    const all = [
      { name: 'sample', csv: readFileSync('data/affiliates.csv', 'utf8'), sample: true },
      ...variants.map((v) => ({ ...v, sample: true })),
    ];
    const admin = new AdminClient(services, all);
    await admin.uploadAll();
    log(`${admin.versions.length} versions stored: ${admin.versions.join(', ')}`);

    // Warm before the clock starts: each instance loads and serves every version once, so its heap
    // has reached working size and the memory verdict never hangs on when activations happen to land.
    const warmAfter = Math.min(WARM_AFTER_VERSIONS, all.length);
    for (let k = 0; k < Math.max(warmAfter, admin.versions.length); k++) {
      if (!(await admin.converge(60_000))) throw new Error('the instances did not follow the warm-up activations');
    }
    admin.resetCounts();
    log(`warm: every instance served ${admin.versions.length} versions`);

    const load = new LoadGenerator(services, options.connections, nationalPhone, options.requestIntervalMs);
    const memory = services.map(() => [] as MemorySample[]);
    const warmAt: Array<number | null> = services.map(() => 0);
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    const events: string[] = [];
    const event = (what: string) => {
      const line = `${(elapsed() / 1000).toFixed(1)} s: ${what}`;
      events.push(line);
      log(line);
    };
    const until = options.seconds * 1000;
    load.start();

    let redisKills = 0;
    const sampler = (async () => {
      while (elapsed() < until) {
        const heapMb = await Promise.all(services.map((s) => liveHeapMb(s.port)));
        services.forEach((s, i) => {
          memory[i]!.push({ at: elapsed(), rssMb: rssMb(s.pid), heapMb: heapMb[i]! });
        });
        if (memory[0]!.length % 10 === 0) {
          const rss = memory.map((m) => `${m.at(-1)!.rssMb.toFixed(0)} MB`).join(' / ');
          const live = heapMb.map((mb) => `${mb.toFixed(1)} MB`).join(' / ');
          log(`${(elapsed() / 1000).toFixed(1)} s: RSS ${rss}; live heap ${live}`);
        }
        await sleep(1000);
      }
    })();
    const activations = (async () => {
      while (elapsed() < until - 2000) {
        await sleep(options.activateEveryMs);
        if (elapsed() < until - 2000) event(await admin.activateNext());
      }
    })();
    const kills = (async () => {
      while (elapsed() + options.killEveryMs + options.redisDownMs < until - 2000) {
        await sleep(options.killEveryMs);
        await redis.kill();
        redisKills += 1;
        event(`Redis killed (${redisKills})`);
        await sleep(options.redisDownMs);
        await redis.start();
        event('Redis restarted, empty');
      }
    })();
    await Promise.all([sampler, activations, kills]);
    const converged = await admin.converge(15_000);
    const loadReport = await load.stop();
    const seconds = elapsed() / 1000;
    const exitCodes = await Promise.all(services.map((s) => s.stop()));
    services.length = 0;

    const instances = loadReport.perInstance;
    const instanceReports: InstanceReport[] = memory.map((samples, i) => {
      const name = `instance ${i + 1}`;
      // And not before a fifth of the run: V8 grows the heap over several full GCs (a 6-minute soak
      // reached its sawtooth of ~230-340 MB only at ~30 s, from ~210 MB after 3 versions at 13 s).
      const warmMs = warmAt[i] === null ? null : Math.max(warmAt[i]!, until * 0.2);
      const warm = warmMs === null ? [] : samples.filter((s) => s.at >= warmMs);
      // Compiling leaves garbage that the next full GC takes, seconds later: RSS is a sawtooth, and
      // a median over fewer samples than a few teeth says where in it the window fell, not growth.
      // The first and last thirds of the warm run: steady growth still shows, two-thirds of it.
      const window = Math.max(5, Math.floor(warm.length / 3));
      const rss = growth(warm, samples, window, (s) => s.rssMb);
      const liveHeap = growth(warm, samples, window, (s) => s.heapMb);
      return {
        name,
        requests: instances[name]?.requests ?? 0,
        versionsServed: instances[name]?.versions.length ?? 0,
        warmAtSeconds: warmMs === null ? null : warmMs / 1000,
        rssReadyMb: rssReady[i]!,
        rssAfterWarmupMb: rss.afterWarmup,
        rssEndMb: rss.end,
        rssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
        rssGrowthPercent: rss.percent,
        // Two windows that do not overlap, or the two medians partly measure the same seconds.
        rssJudged: warm.length >= 2 * window,
        liveHeapAfterWarmupMb: liveHeap.afterWarmup,
        liveHeapEndMb: liveHeap.end,
        liveHeapGrowthPercent: liveHeap.percent,
        exitCode: exitCodes[i] ?? null,
      };
    });
    const reasons = [
      ...(loadReport.failures > 0 ? [`${loadReport.failures} failed requests`] : []),
      ...instanceReports
        .filter((r) => !r.rssJudged)
        .map((r) => {
          const warm =
            r.warmAtSeconds === null
              ? `never answered with ${warmAfter} versions`
              : `was warm only at ${r.warmAtSeconds.toFixed(1)} s`;
          return `${r.name} ${warm}: too late to judge its memory`;
        }),
      ...instanceReports
        .filter((r) => r.rssJudged && !(r.rssGrowthPercent <= options.maxRssGrowthPercent))
        .map((r) => `${r.name} RSS grew ${r.rssGrowthPercent.toFixed(1)}% (limit ${options.maxRssGrowthPercent}%)`),
      ...(converged ? [] : ['the instances did not converge on the last activated version']),
      ...instanceReports.filter((r) => r.exitCode !== 0).map((r) => `${r.name} exited with ${r.exitCode} on SIGTERM`),
    ];
    return {
      seconds,
      requests: loadReport.requests,
      requestsPerSecond: loadReport.requests / seconds,
      failures: loadReport.failures,
      failureKinds: loadReport.failureKinds,
      firstFailures: loadReport.firstFailures,
      latencyMs: loadReport.latencyMs,
      slowest: loadReport.slowest,
      events,
      instances: instanceReports,
      activations: admin.counts,
      redisKills,
      converged,
      passed: reasons.length === 0,
      reasons,
    };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await redis.stop();
  }
}

/** One second's memory reading of an instance. */
type MemorySample = { at: number; rssMb: number; heapMb: number };

/** Median of the first `window` warm samples against the median of the last `window` of the run. */
function growth(
  warm: readonly MemorySample[],
  all: readonly MemorySample[],
  window: number,
  read: (s: MemorySample) => number,
): { afterWarmup: number; end: number; percent: number } {
  const afterWarmup = median(warm.slice(0, window).map(read));
  const end = median(all.slice(-window).map(read));
  return { afterWarmup, end, percent: ((end - afterWarmup) / afterWarmup) * 100 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Ops through the admin API: uploads the variants, activates them in turn on alternating
 * instances. A Redis that came back empty has lost the stored versions: an activation answered
 * 404 uploads the version again (same content, same version) and retries. 503s (Redis down) are
 * counted apart (ops' problem, not a caller's), and the next activation asks for the same version
 * again, as ops would: moving on let the activation cycle lock in phase with the kill cycle (4
 * versions × 4 s plus re-uploads against 15 s + 2 s down), and one version was asked for only
 * while Redis was down, for a whole 6-minute soak.
 */
class AdminClient {
  readonly versions: string[] = [];
  readonly counts = { attempted: 0, ok: 0, storeUnavailable: 0, reuploads: 0, other: 0 };
  private nextVersion = 0;
  private nextVia = 0;

  constructor(
    private readonly services: readonly ServiceProcess[],
    private readonly tables: ReadonlyArray<{ name: string; csv: string; sample: boolean }>,
  ) {}

  async uploadAll(): Promise<void> {
    for (const table of this.tables) {
      const res = await this.upload(this.services[0]!, table);
      if (res.status !== 200 && res.status !== 201)
        throw new Error(`upload of ${table.name} failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      this.versions.push((res.body as { version: string }).version);
    }
  }

  async activateNext(): Promise<string> {
    const index = this.nextVersion;
    const version = this.versions[index % this.versions.length]!;
    const via = this.services[this.nextVia++ % this.services.length]!;
    this.counts.attempted += 1;
    const what = `activate ${version} via ${via.name}`;
    const reuploads = this.counts.reuploads;
    try {
      let res = await this.call(via, 'POST', `/v1/admin/datasets/${version}/activate`);
      if (res.status === 404) {
        this.counts.reuploads += 1;
        const upload = await this.upload(via, this.tables[index % this.tables.length]!);
        res =
          upload.status === 200 || upload.status === 201
            ? await this.call(via, 'POST', `/v1/admin/datasets/${version}/activate`)
            : upload;
      }
      if (res.status === 200) this.counts.ok += 1;
      else if (res.status === 503) this.counts.storeUnavailable += 1;
      else this.counts.other += 1;
      if (res.status !== 503) this.nextVersion += 1;
      return `${what}: ${res.status}${this.counts.reuploads > reuploads ? ' (uploaded again first)' : ''}`;
    } catch (error) {
      this.counts.other += 1;
      this.nextVersion += 1;
      return `${what}: ${(error as Error).message}`;
    }
  }

  /** After the chaos: activate a version once more and wait until every instance serves it. */
  /** Counts from here on only (the warm-up's activations are not the run's). */
  resetCounts(): void {
    Object.assign(this.counts, { attempted: 0, ok: 0, storeUnavailable: 0, reuploads: 0, other: 0 });
  }

  async converge(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let target: string | null = null;
    while (Date.now() < deadline && target === null) {
      const before = this.counts.ok;
      const index = this.nextVersion;
      await this.activateNext();
      if (this.counts.ok > before) target = this.versions[index % this.versions.length]!;
      else await sleep(500);
    }
    while (target && Date.now() < deadline) {
      const served = await Promise.all(
        this.services.map(
          async (s) => ((await this.call(s, 'GET', '/readyz')).body as { datasetVersion?: string }).datasetVersion,
        ),
      );
      if (served.every((v) => v === target)) return true;
      await sleep(200);
    }
    return false;
  }

  private upload(via: ServiceProcess, table: { name: string; csv: string; sample: boolean }) {
    return this.call(
      via,
      'POST',
      `/v1/admin/datasets?name=${table.name}${table.sample ? '&sample=true' : ''}`,
      table.csv,
    );
  }

  private async call(
    via: ServiceProcess,
    method: string,
    path: string,
    csv?: string,
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`http://127.0.0.1:${via.port}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(csv ? { 'content-type': 'text/csv' } : {}) },
      body: csv,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the error message
    }
    return { status: res.status, body };
  }
}
