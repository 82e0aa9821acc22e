/**
 * One round of load from wrk (Debian's, native) pinned to core 1: keep-alive connections cycling
 * through a list of paths, and the server's CPU time spent on them, read from /proc.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cpuMs } from './processes.js';

export type Round = {
  requests: number;
  rps: number;
  cpuUsPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  socketErrors: string;
};

/** A wrk script that sends the paths in turn (the paths are URL-encoded ASCII: safe in a Lua string). */
export function pathScript(paths: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-wrk-')), 'paths.lua');
  const list = paths.map((p) => `  ${JSON.stringify(p)},`).join('\n');
  const lua = `local paths = {\n${list}\n}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n`;
  writeFileSync(file, `${lua}  return wrk.format(nil, paths[i])\nend\n`);
  return file;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latencyMs(output: string, percentile: string): number {
  const match = new RegExp(`^\\s+${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
}

export async function wrkRound(pid: number, port: number, script: string, seconds: number): Promise<Round> {
  const args = ['-c', '1', 'wrk', '-t1', '-c50', `-d${seconds}s`, '--latency', '-s', script];
  const before = cpuMs(pid);
  const { stdout } = await promisify(execFile)('taskset', [...args, `http://127.0.0.1:${port}`]);
  const used = cpuMs(pid) - before;
  const requests = Number(/^\s+(\d+) requests in/m.exec(stdout)?.[1] ?? NaN);
  // A refused (429) or failed answer means the round did not measure the route: stop there.
  const non2xx = /Non-2xx or 3xx responses: \d+/.exec(stdout);
  if (non2xx) throw new Error(`wrk on port ${port}: ${non2xx[0]}`);
  return {
    requests,
    rps: Number(/^Requests\/sec:\s+([\d.]+)/m.exec(stdout)?.[1] ?? NaN),
    cpuUsPerRequest: (used * 1000) / requests,
    p50Ms: latencyMs(stdout, '50'),
    p99Ms: latencyMs(stdout, '99'),
    // Timeouts (2 s) come from a server starved of its core by other tenants: reported, not fatal.
    socketErrors: /Socket errors: (.*)/.exec(stdout)?.[1] ?? '',
  };
}
