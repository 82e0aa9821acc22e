/**
 * One round of load from wrk (Debian's, native) pinned to core 1: keep-alive connections cycling
 * through a list of paths, and the server's CPU time spent on them, read from /proc.
 */
import { execFile, execFileSync } from 'node:child_process';
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
  non2xx: number;
};

/** connections (50 by default); strict: a non-2xx answer throws (the default) rather than being counted. */
export type RoundOptions = { connections?: number; strict?: boolean };

/**
 * A wrk script that sends the paths in turn (the paths are URL-encoded ASCII: safe in a Lua string).
 * With `rate`, requests leave on a schedule of `rate` per second across all connections (see paced).
 */
export function pathScript(paths: string[], rate?: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-wrk-')), 'paths.lua');
  const list = paths.map((p) => `  ${JSON.stringify(p)},`).join('\n');
  const lua = `local paths = {\n${list}\n}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n`;
  writeFileSync(file, `${lua}  return wrk.format(nil, paths[i])\nend\n${rate ? schedule(rate) : ''}`);
  return file;
}

/**
 * wrk's delay() is asked before each request how many ms to wait: here, until the next free slot of
 * a schedule of `rate` per second, read from CLOCK_MONOTONIC (LuaJIT's ffi; wrk runs one thread, so
 * one schedule). Slots missed while every connection waited stay due and leave at once after.
 */
const schedule = (rate: number) => `local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local interval = ${1000 / rate}
local due = nil
delay = function()
  ffi.C.clock_gettime(1, ts)
  local now = tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  due = (due or now) + interval
  return math.max(0, due - interval - now)
end
`;

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latencyMs(output: string, percentile: string): number {
  const match = new RegExp(`^\\s+${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
}

export async function wrkRound(
  pid: number,
  port: number,
  script: string,
  seconds: number,
  { connections = 50, strict = true }: RoundOptions = {},
): Promise<Round> {
  const args = ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script];
  const before = cpuMs(pid);
  const { stdout } = await promisify(execFile)('taskset', [...args, `http://127.0.0.1:${port}`]);
  const used = cpuMs(pid) - before;
  const requests = Number(/^\s+(\d+) requests in/m.exec(stdout)?.[1] ?? NaN);
  // A refused (429) or failed answer means the round did not measure the route: stop there.
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
  if (non2xx && strict) throw new Error(`wrk on port ${port}: ${non2xx[0]}`);
  return {
    requests,
    rps: Number(/^Requests\/sec:\s+([\d.]+)/m.exec(stdout)?.[1] ?? NaN),
    cpuUsPerRequest: (used * 1000) / requests,
    p50Ms: latencyMs(stdout, '50'),
    p99Ms: latencyMs(stdout, '99'),
    // Timeouts (2 s) come from a server starved of its core by other tenants: reported, not fatal.
    socketErrors: /Socket errors: (.*)/.exec(stdout)?.[1] ?? '',
    non2xx: Number(non2xx?.[1] ?? 0),
  };
}

/** Stops with how to install them when wrk or taskset is missing: they are native, not npm packages. */
export function requireTools(): void {
  for (const [tool, install] of [
    ['wrk', 'apt-get install wrk (Debian, Ubuntu); brew install wrk (macOS has no taskset: Linux only)'],
    ['taskset', 'apt-get install util-linux'],
  ]) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} not found: ${install}`);
    }
  }
}
