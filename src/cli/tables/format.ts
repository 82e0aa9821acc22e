import type { Problem } from '../../dataset/validateDataset.js';
import type { GeographyReport, UploadReport } from '../../tables/tablesAdmin.js';
import type { VersionListing } from '../../store/versionStore.js';
import type { Failure } from './targets.js';

export function formatProblems(problems: readonly Problem[]): string {
  const lines = problems.map(
    (p) =>
      `  ${p.row === null ? 'table  ' : `row ${String(p.row).padEnd(4)}`} ${(p.column ?? '').padEnd(15)} ${p.message}`,
  );
  return [`✗ ${problems.length} problem${problems.length === 1 ? '' : 's'}:`, ...lines].join('\n');
}

export function formatFailure(failure: Failure): string {
  const head = `✗ ${failure.message} (${failure.status} ${failure.code})`;
  const listed = failure.code === 'invalid_dataset' || failure.code === 'invalid_geography';
  return failure.details.length > 0 && listed ? `${head}\n${formatProblems(failure.details)}` : head;
}

export function formatReport(report: UploadReport): string {
  const state = report.dryRun ? 'dry run: nothing stored' : report.created ? 'stored' : 'already stored';
  const sample = report.sample ? '  (SAMPLE data: fictional numbers)' : '';
  const lines = [
    `version  ${report.version}  (${state})`,
    `centers  ${report.centers}${sample}   compiled in ${report.compileMs} ms`,
  ];
  // An older service answers no notes.
  for (const note of report.notes ?? []) lines.push(`note     ${note}`);
  if (report.activated) lines.push(`active   ${report.version}  (was ${report.previous ?? 'none'})`);
  if (report.diff) {
    const { centers, firstCenterChanged: f } = report.diff;
    const { added, removed, changed } = centers;
    lines.push(
      `diff against ${report.against}: ${added.length} added, ${removed.length} removed, ${changed.length} changed`,
    );
    if (added.length) lines.push(`  added:   ${added.join(', ')}`);
    if (removed.length) lines.push(`  removed: ${removed.join(', ')}`);
    for (const c of changed) lines.push(`  changed: ${c.id} (${c.fields.join(', ')})`);
    lines.push(`  a different first center for ${f.zips} zips, ${f.zip3s} zip3 areas, ${f.prefixes} phone prefixes`);
  } else lines.push('diff: nothing is active yet');
  return lines.join('\n');
}

export function formatGeographyReport(report: GeographyReport): string {
  const state = report.dryRun ? 'dry run: nothing stored' : report.created ? 'stored' : 'already stored';
  const g = report.geography;
  const share = ((100 * g.atRateCenter) / g.exchanges).toFixed(2);
  const { exchanges, areaCodes, changedState, examples } = report.geographyDiff;
  const lines = [
    `version    ${report.version}  (${state}; the table of ${report.against} over the new geography)`,
    `geography  ${g.id}  NANPA ${g.coCodes} / area codes ${g.areaCodes}`,
    `           ${g.exchanges} exchanges, ${g.atRateCenter} (${share}%) at rate center; ` +
      `${report.unlocatedRateCenters} rate centers not located`,
    `exchanges  ${exchanges.added} added, ${exchanges.removed} removed, ${exchanges.moved} moved ` +
      `(${changedState} to another state)`,
    `area codes added: ${areaCodes.added.join(' ') || 'none'}; removed: ${areaCodes.removed.join(' ') || 'none'}`,
  ];
  for (const [what, list] of Object.entries(examples)) for (const e of list) lines.push(`  ${what.padEnd(12)} ${e}`);
  const f = report.diff.firstCenterChanged;
  lines.push(`a different first center for ${f.zips} zips, ${f.zip3s} zip3 areas, ${f.prefixes} phone prefixes`);
  if (report.activated) lines.push(`active     ${report.version}  (was ${report.previous ?? 'none'})`);
  lines.push(`compiled in ${report.compileMs} ms`);
  return lines.join('\n');
}

export function formatList(versions: readonly VersionListing[]): string {
  if (versions.length === 0) return 'no versions stored';
  return versions
    .map((v) => {
      const who = `${v.createdAt}  ${v.createdBy.padEnd(24)}`;
      const what = `${String(v.centers).padStart(5)} centers  ${v.origin}${v.sample ? '  sample' : ''}`;
      return `${v.active ? '*' : ' '} ${v.version.padEnd(34)} ${who} ${what}`;
    })
    .join('\n');
}

/** A spinner on stderr while a promise runs (a plain line when stderr is not a terminal). */
export async function withProgress<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
  let i = 0;
  const tty = process.stderr.isTTY;
  if (!tty) process.stderr.write(`${label}…\n`);
  const timer = tty
    ? setInterval(
        () =>
          process.stderr.write(
            `\r${frames[i++ % frames.length]} ${label}… ${((Date.now() - started) / 1000).toFixed(1)} s`,
          ),
        80,
      )
    : null;
  try {
    return await work();
  } finally {
    if (timer) clearInterval(timer);
    if (tty) process.stderr.write(`\r✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)\x1b[K\n`);
  }
}
