/** npm run bench's table and targets, as markdown, and the marked section of BENCHMARKS.md it rewrites. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Summary } from './alternating.js';

export const BARE = 'bare Fastify';
export const EXPRESS = 'Express, Redis per call';
/** The rows the targets judge: the service as shipped. */
export const SERVICES = ['service, embedded', 'service, Redis-backed'];

export type Row = { server: string; summary: Summary; pacedP99: number; pacedRps: number };
export type Mix = { mix: string; pacedRate: number; rows: Row[] };
export type National = {
  centers: number;
  compileMs: number;
  /** bench-core on the same table: compile in one process without the service, µs per lookup by mix. */
  coreCompileMs: number;
  lookupsUs: Array<[string, number]>;
  memory: Array<{ server: string; rssMb: number; liveHeapMb: number }>;
  reload: { activations: number; errors: number; p99: number; baselineP99: number; rate: number; seconds: number };
};

const verdict = (ok: boolean) => (ok ? 'MET' : '**MISSED**');
const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

export function mixTable(mixes: Mix[]): string[] {
  const lines = [
    '| Server | Mix | req/s (best) | × bare | CPU µs/request (median) | CPU × bare | p50 ms | p99 ms ' +
      '| p99 ms at ½ bare |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { mix, rows } of mixes) {
    for (const { server, summary: s, pacedP99, pacedRps } of rows) {
      const paced = `${f(pacedP99)} (${pacedRps.toFixed(0)}/s)`;
      const cells = [s.rps.toFixed(0), f(s.rpsX), f(s.cpuUs, 1), f(s.cpuX), f(s.p50), f(s.p99), paced];
      lines.push(`| ${server} | ${mix} | ${cells.join(' | ')} |`);
    }
  }
  return lines;
}

export function targetTables(mixes: Mix[], national: National): string[] {
  const lines = [
    '| Service | Mix | CPU × bare ≤ 1.2 | p99 at ½ load ≤ bare + 1 ms | req/s ≥ 3 × Express |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const { mix, rows } of mixes) {
    const bare = rows.find((r) => r.server === BARE)!;
    const express = rows.find((r) => r.server === EXPRESS);
    for (const row of rows.filter((r) => SERVICES.includes(r.server))) {
      const limit = bare.pacedP99 + 1;
      const times = express ? row.summary.rps / express.summary.rps : NaN;
      const cells = [
        `${f(row.summary.cpuX)} ${verdict(row.summary.cpuX <= 1.2)}`,
        `${f(row.pacedP99)} ms of ${f(limit)} ${verdict(row.pacedP99 <= limit)}`,
        `${f(times)} × ${verdict(times >= 3)}`,
      ];
      lines.push(`| ${row.server} | ${mix} | ${cells.join(' | ')} |`);
    }
  }
  const { reload } = national;
  const reloadOk = reload.errors === 0 && reload.p99 <= 2 * reload.baselineP99;
  lines.push('', '| National scale | Figure | Target | |', '| --- | ---: | --- | --- |');
  const compiled = `${f(national.compileMs, 0)} ms | ≤ 1 s | ${verdict(national.compileMs <= 1000)}`;
  lines.push(`| compile in the worker (the admin upload's compileMs) | ${compiled} |`);
  for (const m of national.memory) {
    lines.push(`| RSS after load, ${m.server} | ${f(m.rssMb, 0)} MB | ≤ 200 MB | ${verdict(m.rssMb <= 200)} |`);
    lines.push(`| live heap after load, ${m.server} | ${f(m.liveHeapMb, 0)} MB | | |`);
  }
  const during = `${reload.errors} errors, p99 ${f(reload.p99)} ms (${f(reload.baselineP99)} without)`;
  const name = `reload under load (${reload.activations} activations)`;
  lines.push(`| ${name} | ${during} | 0 errors, p99 ≤ 2 × | ${verdict(reloadOk)} |`);
  lines.push(`| compile in one process (bench-core) | ${f(national.coreCompileMs, 0)} ms | | |`);
  for (const [mix, us] of national.lookupsUs) lines.push(`| lookup, ${mix} (bench-core) | ${f(us)} µs | | |`);
  return lines;
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** Replaces what lies between the markers in `file`, keeping the rest of it. */
export function writeSection(file: string, lines: string[]): void {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} … ${END} section`);
  writeFileSync(file, `${text.slice(0, start + START.length)}\n${lines.join('\n')}\n${text.slice(end)}`);
}
