/**
 * Ops CLI for the routing tables: npm run tables -- <command> [options]
 * (in the image: node dist/src/cli/tables.js <command> [options])
 *   validate <csv>                 check a table locally (no Redis, no service)
 *   diff <csv>                     dry run against the active version: what would change
 *   load <csv> [--activate]        store a new version (and make it active)
 *   activate <version>             make a stored version active (also: rollback)
 *   list                           stored versions, newest first; * = active
 *   export <version> [file]        a version's table as CSV (stdout without file)
 *   geography <zip> <csv>          NANPA's central office code zip and npa_report.csv: a new version, the
 *                                  active table over the new exchange geography (--dry-run: only the diff)
 * Target: --redis <url> (directly), --sentinels <host:port,…> --master <name> (directly, through Sentinel;
 * passwords from REDIS_SENTINEL_PASSWORD and REDIS_PASSWORD), or --url <http://service> with the admin token from
 * --token-file <path> or TABLES_TOKEN (or --token <token>, which any user of the machine can read in
 * the process list while the command runs).
 * Options: --name <dataset name> (default affiliates), --sample, --activate, --dry-run, --data <dir> (default data),
 * --namespace <redis key namespace>.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import type { RedisTarget } from '../store/redisConnection.js';
import { redisTargetFrom } from '../settings.js';
import { loadEmbeddedData } from '../dataset/loadEmbeddedDataset.js';
import { DEFAULT_POLICY } from '../core/types.js';
import { tableBuilderFor } from '../tables/tableBuilder.js';
import {
  formatFailure,
  formatGeographyReport,
  formatList,
  formatProblems,
  formatReport,
  withProgress,
} from './tables/format.js';
import { httpTarget, redisTarget, type Result, type TablesTarget } from './tables/targets.js';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    redis: { type: 'string' },
    sentinels: { type: 'string' },
    master: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    'token-file': { type: 'string' },
    name: { type: 'string', default: 'affiliates' },
    sample: { type: 'boolean', default: false },
    activate: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    data: { type: 'string', default: 'data' },
    namespace: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command, arg, file] = positionals;
// The environment is read here, at the edge, as src/server.ts does; loadConfig validates the service's settings.
const env = process.env;

function usage(message?: string): never {
  if (message) console.error(`✗ ${message}\n`);
  console.error(
    'usage: npm run tables -- validate|diff|load|activate|list|export|geography …\n' +
      '       [--redis <url> | --sentinels <host:port,…> --master <name> | --url <service> --token-file <path>]\n' +
      '       (see src/cli/tables.ts)',
  );
  process.exit(2);
}

const builder = async () => tableBuilderFor(await loadEmbeddedData(flags.data), DEFAULT_POLICY);

async function target(): Promise<TablesTarget> {
  if (flags.redis || flags.sentinels) {
    if (flags.sentinels && !flags.master)
      usage('--sentinels needs --master <name>, the master name the sentinels monitor');
    // The flags stand in for the service's settings, so they are checked alike.
    const sentinels = { REDIS_URL: '', REDIS_SENTINELS: flags.sentinels, REDIS_SENTINEL_MASTER: flags.master };
    const config = loadConfig(flags.sentinels ? { ...env, ...sentinels } : env);
    const guard = { nodeEnv: config.NODE_ENV, allowSampleInProduction: config.ALLOW_SAMPLE_DATA_IN_PRODUCTION };
    const where: RedisTarget = flags.redis ? { url: flags.redis } : redisTargetFrom(config)!;
    return redisTarget(where, await loadEmbeddedData(flags.data), guard, flags.namespace);
  }
  if (flags.url) return httpTarget(flags.url, adminToken());
  return usage('give a target: --redis <url>, --sentinels <host:port,…> --master <name>, or --url … --token-file …');
}

function adminToken(): string {
  if (flags.token) return flags.token;
  const path = flags['token-file'];
  if (path !== undefined) {
    let token: string;
    try {
      token = readFileSync(path, 'utf8').trim();
    } catch (error) {
      return usage(`cannot read --token-file ${path}: ${(error as Error).message}`);
    }
    return token || usage(`--token-file ${path} is empty`);
  }
  return (
    env.TABLES_TOKEN || usage('--url needs the admin token: --token-file <path> or TABLES_TOKEN (or --token <token>)')
  );
}

function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  console.error(formatFailure(result));
  process.exit(1);
}

async function main(): Promise<void> {
  if (flags.help || !command) usage();
  // Bytes, not text: the reader detects the encoding (a spreadsheet may save Windows-1252 or UTF-16).
  const readCsv = async () => (arg ? readFile(arg) : usage(`${command} needs a CSV file`));
  if (command === 'validate') {
    const csv = await readCsv();
    const b = await builder();
    const options = { name: flags.name, markedSample: flags.sample };
    const result = await withProgress('validating and compiling', () => b.build({ body: csv, format: 'csv' }, options));
    await b.close();
    if (!result.ok) {
      console.error(formatProblems(result.problems));
      process.exit(1);
    }
    const { prepared, table, compileMs } = result;
    const sample = prepared.dataset.sample ? ' (SAMPLE data)' : '';
    console.log(
      `✓ valid: ${prepared.dataset.affiliates.length} centers + national line; version ${prepared.version}${sample}`,
    );
    for (const note of prepared.notes) console.log(`  note: ${note}`);
    console.log(
      `  compiled in ${Math.round(compileMs)} ms: ${table.stats.zips} zips, ${table.stats.prefixes} prefixes`,
    );
    return;
  }
  if (command === 'geography' && (!arg || !file))
    usage("geography needs NANPA's central office code zip and npa_report.csv");
  const t = await target();
  try {
    switch (command) {
      case 'diff':
      case 'load': {
        const csv = await readCsv();
        const dryRun = command === 'diff';
        const label = dryRun ? 'validating and comparing' : 'validating, compiling and uploading';
        const report = unwrap(
          await withProgress(label, () =>
            t.upload(csv, { dryRun, activate: !dryRun && flags.activate, name: flags.name, sample: flags.sample }),
          ),
        );
        console.log(formatReport(report));
        const where = flags.url ? '--url … --token …' : '--redis …';
        if (!dryRun && !report.activated)
          console.log(`\nto make it active: npm run tables -- activate ${report.version} ${where}`);
        return;
      }
      case 'activate': {
        if (!arg) usage('activate needs a version (see list)');
        const result = unwrap(await t.activate(arg));
        console.log(
          `✓ active: ${result.active} (was ${result.previous ?? 'none'}); every instance switches within a second`,
        );
        return;
      }
      case 'list':
        console.log(formatList(unwrap(await t.list())));
        return;
      case 'geography': {
        const [coCodes, npaReport] = await Promise.all([readFile(arg!), readFile(file!, 'utf8')]);
        const options = { dryRun: flags['dry-run'], activate: !flags['dry-run'] && flags.activate };
        const label = options.dryRun ? 'building the geography and comparing' : 'building, compiling and uploading';
        const report = unwrap(await withProgress(label, () => t.uploadGeography(coCodes, npaReport, options)));
        console.log(formatGeographyReport(report));
        if (!options.dryRun && !report.activated)
          console.log(`\nto make it active: npm run tables -- activate ${report.version} …`);
        return;
      }
      case 'export': {
        if (!arg) usage('export needs a version (see list)');
        const csv = unwrap(await t.exportCsv(arg));
        if (file) {
          await writeFile(file, csv);
          console.error(`✓ wrote ${arg} to ${file}`);
        } else process.stdout.write(csv);
        return;
      }
      default:
        usage(`unknown command ${command}`);
    }
  } finally {
    await t.close();
  }
}

main().catch((error: unknown) => {
  console.error(`✗ ${(error as Error).message}`);
  process.exit(1);
});
