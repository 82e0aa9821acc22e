/**
 * Steady load for the soak: a fixed number of keep-alive connections, each a loop of requests
 * from many different callers (numbers, zips, locations; GET, POST and route.txt), every answer
 * checked the way a phone system relies on it.
 */
import { Agent, request } from 'node:http';
import { PROFILES } from '../bench/loadProfiles.js';

export type Target = { name: string; port: number };

type Call = { method: 'GET' | 'POST'; path: string; body?: string; kind: 'json' | 'text' };

const CALLS: Call[] = (() => {
  const gets = Object.values(PROFILES).flat();
  const calls: Call[] = [];
  gets.forEach((path, i) => {
    calls.push({ method: 'GET', path, kind: 'json' });
    if (i % 5 === 0) calls.push({ method: 'GET', path: path.replace('/v1/route?', '/v1/route.txt?'), kind: 'text' });
    if (i % 7 === 0)
      calls.push({
        method: 'POST',
        path: '/v1/route',
        body: JSON.stringify(Object.fromEntries(new URLSearchParams(path.split('?')[1]))),
        kind: 'json',
      });
  });
  // Interleave the profiles so every loop sees every kind of caller.
  return calls
    .map((c, i) => ({ c, k: (i * 7919) % calls.length }))
    .sort((a, b) => a.k - b.k)
    .map(({ c }) => c);
})();

type Answer = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

function send(agent: Agent, port: number, call: Call, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: call.method,
        path: call.path,
        timeout: timeoutMs,
        headers: call.body
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(call.body) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(call.body);
  });
}

/** Why an answer fails a caller, or null when it is one a phone system can use. */
function failureOf(
  call: Call,
  answer: Answer,
  nationalPhone: string,
): { kind: string; version?: string } | { kind: null; version?: string } {
  if (answer.status === 429) return { kind: 'rate limited (429)' };
  if (answer.status !== 200) return { kind: `status ${answer.status}` };
  if (call.kind === 'text') {
    const lines = answer.body.split('\n').filter(Boolean);
    const version = String(answer.headers['x-dataset-version'] ?? '');
    if (lines.at(-1) !== nationalPhone) return { kind: 'route.txt not ending with the national line', version };
    if (answer.headers['x-degraded'] === 'true') return { kind: 'degraded answer', version };
    return { kind: null, version };
  }
  let parsed: { destinations?: Array<{ kind: string }>; datasetVersion?: string; degraded?: boolean };
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return { kind: 'unreadable JSON' };
  }
  if (parsed.destinations?.at(-1)?.kind !== 'national')
    return { kind: 'answer not ending with the national line', version: parsed.datasetVersion };
  if (parsed.degraded) return { kind: 'degraded answer', version: parsed.datasetVersion };
  return { kind: null, version: parsed.datasetVersion };
}

/** Latencies in ms, appended in blocks so a long run does not copy a huge array. */
class Samples {
  private blocks: Float64Array[] = [new Float64Array(65536)];
  private used = 0;
  add(value: number): void {
    let block = this.blocks.at(-1)!;
    if (this.used === block.length) {
      block = new Float64Array(65536);
      this.blocks.push(block);
      this.used = 0;
    }
    block[this.used++] = value;
  }
  sorted(): Float64Array {
    const all = new Float64Array((this.blocks.length - 1) * 65536 + this.used);
    this.blocks.forEach((b, i) => all.set(i === this.blocks.length - 1 ? b.subarray(0, this.used) : b, i * 65536));
    return all.sort();
  }
}

export type LoadReport = {
  requests: number;
  failures: number;
  failureKinds: Record<string, number>;
  firstFailures: string[];
  latencyMs: { p50: number; p99: number; max: number };
  perInstance: Record<string, { requests: number; versions: string[] }>;
  /** The slowest answers, when (seconds into the run) and from where: to line them up with the chaos log. */
  slowest: Array<{ atSeconds: number; instance: string; ms: number }>;
};

export class LoadGenerator {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly samples = new Samples();
  private requests = 0;
  private failures = 0;
  private readonly failureKinds: Record<string, number> = {};
  private readonly firstFailures: string[] = [];
  private readonly perInstance = new Map<string, { requests: number; versions: Set<string> }>();
  private started = 0;
  private slowest: Array<{ atSeconds: number; instance: string; ms: number }> = [];

  constructor(
    private readonly targets: readonly Target[],
    private readonly connections: number,
    private readonly nationalPhone: string,
    /** Each connection starts a request at most this often (0: back to back, as fast as answers come). */
    private readonly intervalMs = 0,
    private readonly timeoutMs = 10_000,
  ) {
    for (const t of targets) this.perInstance.set(t.name, { requests: 0, versions: new Set() });
  }

  /** How many different versions an instance has answered with so far. */
  versionsSeen(name: string): number {
    return this.perInstance.get(name)?.versions.size ?? 0;
  }

  start(): void {
    this.running = true;
    this.started = Date.now();
    this.loops = Array.from({ length: this.connections }, (_, i) =>
      this.loop(this.targets[i % this.targets.length]!, i),
    );
  }

  async stop(): Promise<LoadReport> {
    this.running = false;
    await Promise.all(this.loops);
    const sorted = this.samples.sorted();
    const at = (q: number) =>
      sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return {
      requests: this.requests,
      failures: this.failures,
      failureKinds: this.failureKinds,
      firstFailures: this.firstFailures,
      latencyMs: { p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1]! : NaN },
      slowest: this.slowest,
      perInstance: Object.fromEntries(
        [...this.perInstance].map(([name, s]) => [name, { requests: s.requests, versions: [...s.versions].sort() }]),
      ),
    };
  }

  private async loop(target: Target, index: number): Promise<void> {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const instance = this.perInstance.get(target.name)!;
    for (let i = index * 997; this.running; i++) {
      const call = CALLS[i % CALLS.length]!;
      const began = performance.now();
      let outcome: { kind: string | null; version?: string };
      try {
        outcome = failureOf(call, await send(agent, target.port, call, this.timeoutMs), this.nationalPhone);
      } catch (error) {
        outcome = { kind: `connection error: ${(error as Error).message}` };
      }
      const ms = performance.now() - began;
      this.samples.add(ms);
      if (this.slowest.length < 5 || ms > this.slowest.at(-1)!.ms) {
        this.slowest = [...this.slowest, { atSeconds: (Date.now() - this.started) / 1000, instance: target.name, ms }]
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 5);
      }
      this.requests += 1;
      instance.requests += 1;
      if (outcome.version) instance.versions.add(outcome.version);
      if (outcome.kind !== null) {
        this.failures += 1;
        this.failureKinds[outcome.kind] = (this.failureKinds[outcome.kind] ?? 0) + 1;
        if (this.firstFailures.length < 20) {
          const at = ((Date.now() - this.started) / 1000).toFixed(1);
          this.firstFailures.push(`${at} s ${target.name} ${call.method} ${call.path.split('?')[0]}: ${outcome.kind}`);
        }
      }
      const wait = began + this.intervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    agent.destroy();
  }
}
