/** The service as real processes for the soak: on free ports, ready when /readyz says so, measured from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../test/helpers/redisServer.js';

export type ServiceProcess = {
  name: string;
  port: number;
  pid: number;
  child: ChildProcess;
  stderrTail: () => string;
  stop(): Promise<number | null>;
};

export async function startServiceProcess(
  name: string,
  command: readonly string[],
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...command], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  await ready(`http://127.0.0.1:${port}/readyz`, child, 60_000);
  return {
    name,
    port,
    pid: child.pid!,
    child,
    stderrTail: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

async function ready(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms`);
}

/** Resident set size in MB, from /proc/<pid>/status (Linux). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.replace(/\D+/g, ' ').trim()) / 1024 : NaN;
}

/**
 * The live heap in MB (the service's crisis_route_live_heap_bytes: the heap just after its last full GC);
 * NaN when /metrics does not answer.
 */
export async function liveHeapMb(port: number): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    const line = text.split('\n').find((l) => l.startsWith('crisis_route_live_heap_bytes '));
    return line ? Number(line.slice(line.indexOf(' ') + 1)) / (1024 * 1024) : NaN;
  } catch {
    return NaN;
  }
}
