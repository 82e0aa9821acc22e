/**
 * Rounds taken in turn (every server once, then again), so a drift of the shared machine hits all
 * servers alike; and the paced rounds that measure latency at a fixed rate.
 */
import { loadavg } from 'node:os';
import { median, type Server } from './pinnedServers.js';
import { pathScript, wrkRound, type Round, type RoundOptions } from './wrkRound.js';

export async function alternate(
  servers: Server[],
  script: string,
  seconds: number,
  rounds: number,
  label: string,
  options: RoundOptions = {},
): Promise<Map<Server, Round[]>> {
  const results = new Map<Server, Round[]>(servers.map((s) => [s, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const s of servers) {
      const r = await wrkRound(s.pid, s.port, script, seconds, options);
      results.get(s)!.push(r);
      const line = `${r.rps.toFixed(0)} req/s, ${r.cpuUsPerRequest.toFixed(1)} µs, p99 ${r.p99Ms.toFixed(2)} ms`;
      console.error(`${label} round ${round} ${s.name}: ${line}, load ${loadavg()[0]!.toFixed(1)} ${r.socketErrors}`);
    }
  }
  return results;
}

/**
 * Load at a fixed rate: wrk has no constant-rate mode (wrk2 has; Debian ships only wrk), so its Lua
 * delay() holds each request until its slot (pathScript). The 50 connections stay a closed loop:
 * when all of them wait on a stalled server, the requests due meanwhile leave late, and their latency
 * is counted from when they left, not from when they were due (coordinated omission): p99 under a
 * stall reads lower than callers would see. The rate reached is reported beside the figure.
 */
export function paced(paths: string[], rate: number): { script: string; options: RoundOptions; rate: number } {
  return { script: pathScript(paths, Math.round(rate)), options: {}, rate: Math.round(rate) };
}

/** Socket errors wrk counted ("connect 0, read 0, write 0, timeout 3") and non-2xx answers, in all. */
export const errorCount = (r: Round) =>
  r.non2xx + (r.socketErrors.match(/\d+/g) ?? []).reduce((sum, n) => sum + Number(n), 0);

export type Summary = { rps: number; cpuUs: number; cpuX: number; rpsX: number; p50: number; p99: number };

/**
 * req/s as the best round, CPU per request and latencies as the median; the ratio to bare is taken
 * round by round (bare's round just before), then the median: other tenants' load drifts.
 */
export function summarize(rounds: Round[], bare: Round[]): Summary {
  const rps = Math.max(...rounds.map((r) => r.rps));
  return {
    rps,
    cpuUs: median(rounds.map((r) => r.cpuUsPerRequest)),
    cpuX: median(rounds.map((r, i) => r.cpuUsPerRequest / bare[i]!.cpuUsPerRequest)),
    rpsX: rps / Math.max(...bare.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50Ms)),
    p99: median(rounds.map((r) => r.p99Ms)),
  };
}
