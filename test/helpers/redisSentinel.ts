import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './redisServer.js';

/** Every process started here and not yet gone: killed if the test process exits without teardown (a timeout). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A real redis-server or redis-sentinel whose output is read line by line, to wait on it without sleeps. */
class WatchedProcess {
  output = '';
  private readonly child: ChildProcess;
  private partial = '';
  private readonly listeners = new Set<(line: string) => void>();
  readonly exited: Promise<void>;

  constructor(
    readonly command: string,
    args: string[],
    /** Called with each line and the time it arrived (sentinels' events are timed from it). */
    onLine: (line: string, at: number) => void = () => {},
  ) {
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this.child);
    this.child.once('exit', () => running.delete(this.child));
    const read = (chunk: Buffer) => {
      const at = Date.now();
      const lines = (this.partial + chunk.toString()).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) {
        this.output = (this.output + line + '\n').slice(-20_000);
        onLine(line, at);
        for (const listener of this.listeners) listener(line);
      }
    };
    this.child.stdout!.on('data', read);
    this.child.stderr!.on('data', read);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.once('error', (error) => {
        this.output += `cannot start ${command} (is it installed? apt-get install ${command}): ${error.message}\n`;
        resolve();
      });
    });
  }

  /** Resolves when a line (already printed or to come) matches; rejects on exit or after `ms`. */
  waitFor(pattern: RegExp, ms: number): Promise<string> {
    const seen = this.output.split('\n').find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const done = (error: Error | null, line?: string) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        if (error) reject(error);
        else resolve(line!);
      };
      const listener = (line: string) => pattern.test(line) && done(null, line);
      const timeout = () => done(new Error(`${this.command}: no ${pattern} within ${ms} ms:\n${this.tail()}`));
      const timer = setTimeout(timeout, ms);
      this.listeners.add(listener);
      void this.exited.then(() => done(new Error(`${this.command} exited before ${pattern}:\n${this.tail()}`)));
    });
  }

  /** SIGKILL, as a crash; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  tail(): string {
    return this.output.slice(-2000);
  }
}

export type RedisNode = { port: number; kill(): Promise<void> };

export type SentinelSet = {
  masterName: string;
  /** What a service is configured with to use this set. */
  env: { REDIS_SENTINELS: string; REDIS_SENTINEL_MASTER: string };
  primary: RedisNode;
  replica: RedisNode;
  sentinelPorts: number[];
  /** When each Sentinel event (+sdown, +odown, +switch-master, …) was first printed by any sentinel. */
  firstSeen: Map<string, number>;
  /** Resolves with the new primary's port once a sentinel announces +switch-master, and when. */
  switchedMaster(ms: number): Promise<{ port: number; at: number }>;
  /** Asks a sentinel for a failover with the primary still up (SENTINEL FAILOVER, as for maintenance). */
  failover(): Promise<void>;
  /** Kills every process and removes the files (teardown). */
  stop(): Promise<void>;
};

const SENTINEL_EVENT = /[#*] ([+-][a-z-]+) /;

/**
 * A primary, its replica and `sentinelCount` sentinels watching them, all on free ports and ready
 * (replica in sync, every sentinel knowing the replica and the other sentinels) when this resolves.
 */
export async function startSentinelSet(
  options: { sentinelCount?: number; masterName?: string } = {},
): Promise<SentinelSet> {
  const sentinelCount = options.sentinelCount ?? 3;
  const masterName = options.masterName ?? 'crisis-route-test';
  const dir = await mkdtemp(join(tmpdir(), 'crisis-route-sentinel-'));
  const processes: WatchedProcess[] = [];
  const firstSeen = new Map<string, number>();
  const stop = async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const server = async (name: string, extra: string[]) => {
      const port = await freePort();
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
      // A replica's first sync would otherwise wait 5 s for more replicas to share the transfer.
      args.push('--repl-diskless-sync-delay', '0');
      const node = new WatchedProcess('redis-server', [...args, '--dbfilename', `${name}.rdb`, ...extra]);
      processes.push(node);
      await node.waitFor(/Ready to accept connections/, 15_000);
      return { port, process: node };
    };
    const primary = await server('primary', []);
    const replica = await server('replica', ['--replicaof', '127.0.0.1', String(primary.port)]);
    await replica.process.waitFor(/MASTER <-> REPLICA sync: Finished with success/, 15_000);

    const quorum = Math.floor(sentinelCount / 2) + 1;
    const sentinelPorts: number[] = [];
    for (let i = 0; i < sentinelCount; i++) {
      const port = await freePort();
      const conf = join(dir, `sentinel-${i}.conf`);
      // Sentinel rewrites its own file, so each gets one; short timings make the failover quick.
      await writeFile(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${masterName} 127.0.0.1 ${primary.port} ${quorum}`,
          `sentinel down-after-milliseconds ${masterName} 1000`,
          `sentinel failover-timeout ${masterName} 10000`,
          `sentinel parallel-syncs ${masterName} 1`,
          '',
        ].join('\n'),
      );
      const sentinel = new WatchedProcess('redis-sentinel', [conf], (line, at) => {
        const event = SENTINEL_EVENT.exec(line)?.[1];
        if (event && !firstSeen.has(event)) firstSeen.set(event, at);
      });
      processes.push(sentinel);
      await sentinel.waitFor(/\+monitor master/, 15_000);
      sentinelPorts.push(port);
    }
    await Promise.all(sentinelPorts.map((port) => sentinelKnowsAll(port, masterName, sentinelCount - 1, 30_000)));

    const sentinels = processes.filter((p) => p.command === 'redis-sentinel');
    const node = (n: { port: number; process: WatchedProcess }): RedisNode => ({
      port: n.port,
      kill: () => n.process.kill(),
    });
    return {
      masterName,
      env: { REDIS_SENTINELS: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','), REDIS_SENTINEL_MASTER: masterName },
      primary: node(primary),
      replica: node(replica),
      sentinelPorts,
      firstSeen,
      async switchedMaster(ms) {
        const line = await Promise.any(sentinels.map((s) => s.waitFor(/\+switch-master /, ms)));
        const port = Number(/\+switch-master \S+ \S+ \d+ \S+ (\d+)/.exec(line)?.[1]);
        return { port, at: firstSeen.get('+switch-master') ?? Date.now() };
      },
      failover: async () => void (await askSentinel(sentinelPorts[0]!, ['failover', masterName])),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls until the sentinel sees a replica and `others` other sentinels (they meet every 2 s). */
async function sentinelKnowsAll(port: number, masterName: string, others: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last: Record<string, string> = {};
  while (Date.now() < deadline) {
    last = fields(await askSentinel(port, ['master', masterName]).catch(() => []));
    if (Number(last['num-slaves']) >= 1 && Number(last['num-other-sentinels']) >= others) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seen = JSON.stringify(last);
  throw new Error(`sentinel on ${port} did not see the replica and ${others} other sentinels within ${ms} ms: ${seen}`);
}

async function askSentinel(port: number, args: string[]): Promise<unknown> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call('SENTINEL', ...args);
  } finally {
    client.disconnect();
  }
}

/** A reply as a flat [key, value, …] list or as a map, made a record. */
function fields(reply: unknown): Record<string, string> {
  if (!Array.isArray(reply)) return (reply ?? {}) as Record<string, string>;
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) record[String(reply[i])] = String(reply[i + 1]);
  return record;
}
