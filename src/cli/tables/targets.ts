import { userInfo } from 'node:os';
import type { Problem } from '../../dataset/validateDataset.js';
import type { GeographyReport, UploadReport } from '../../tables/tablesAdmin.js';
import type { EmbeddedData } from '../../dataset/loadEmbeddedDataset.js';
import { DEFAULT_POLICY } from '../../core/types.js';
import type { VersionListing } from '../../store/versionStore.js';
import { TablesAdmin } from '../../tables/tablesAdmin.js';
import { VersionStore } from '../../store/versionStore.js';
import { AuditTrail } from '../../store/audit.js';
import { redisKeys } from '../../store/redisKeys.js';
import { connectRedis, describeRedisTarget, waitForReady, type RedisTarget } from '../../store/redisConnection.js';
import { tableBuilderFor } from '../../tables/tableBuilder.js';
import { sampleRefusal, type SampleGuardSettings } from '../../tables/sampleGuard.js';

export type Failure = { ok: false; status: number; code: string; message: string; details: Problem[] };
export type Result<T> = { ok: true; value: T } | Failure;
export type UploadOptions = { dryRun: boolean; activate: boolean; name: string; sample: boolean };
export type GeographyOptions = { dryRun: boolean; activate: boolean };

/** Where the CLI acts: Redis directly, or a running service's admin API. Both answer alike. */
export interface TablesTarget {
  /** The file's bytes as read: the service detects the encoding and separator. */
  upload(table: Uint8Array, options: UploadOptions): Promise<Result<UploadReport>>;
  uploadGeography(coCodes: Uint8Array, npaReport: string, options: GeographyOptions): Promise<Result<GeographyReport>>;
  activate(version: string): Promise<Result<{ active: string; previous: string | null }>>;
  list(): Promise<Result<VersionListing[]>>;
  exportCsv(version: string): Promise<Result<string>>;
  close(): Promise<void>;
}

const quietLog = { info: () => {}, warn: (obj: unknown, msg?: string) => console.error(msg ?? obj) };

/** On Redis directly, the CLI refuses to activate sample data where the service would (NODE_ENV=production). */
export async function redisTarget(
  where: RedisTarget,
  embedded: EmbeddedData,
  guard: SampleGuardSettings,
  namespace?: string,
): Promise<TablesTarget> {
  const redis = connectRedis(where, 'data');
  redis.on('error', () => {}); // reported below, once, as "cannot reach"
  if (!(await waitForReady(redis, 5000))) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${describeRedisTarget(where)}`);
  }
  const keys = redisKeys(namespace);
  const store = new VersionStore(redis, keys);
  const builder = tableBuilderFor(embedded, DEFAULT_POLICY, (id) => store.loadGeography(id));
  const refusal = (version: { version: string; sample: boolean }) => sampleRefusal(version, guard);
  const admin = new TablesAdmin({ store, audit: new AuditTrail(redis, keys), builder, refusal });
  const actor = { who: `cli:${userInfo().username}`, log: quietLog };
  const missing = (version: string): Failure => ({
    ok: false,
    status: 404,
    code: 'unknown_version',
    message: `no stored version ${version}`,
    details: [],
  });
  return {
    async upload(table, options) {
      const outcome = await admin.upload(
        {
          body: table,
          format: 'csv',
          name: options.name,
          markedSample: options.sample,
          dryRun: options.dryRun,
          activate: options.activate,
        },
        actor,
      );
      return outcome.ok
        ? { ok: true, value: outcome.report }
        : {
            ok: false,
            status: 422,
            code: 'invalid_dataset',
            message: `the table has ${outcome.problems.length} problem(s); nothing was stored`,
            details: outcome.problems,
          };
    },
    async uploadGeography(coCodes, npaReport, options) {
      const outcome = await admin.uploadGeography({ coCodes, npaReport, ...options }, actor);
      if (outcome.ok) return { ok: true, value: outcome.report };
      const message = 'the geography fails its checks; nothing was stored';
      return { ok: false, status: 422, code: 'invalid_geography', message, details: outcome.problems };
    },
    async activate(version) {
      const outcome = await admin.activate(version, actor);
      if (outcome.ok) return { ok: true, value: { active: outcome.version, previous: outcome.previous } };
      if (outcome.reason === 'not_replicated')
        return { ok: false, status: 503, code: 'store_unavailable', message: outcome.message, details: [] };
      if (outcome.reason === 'refused') {
        return {
          ok: false,
          status: 409,
          code: 'refused',
          message: `${outcome.message}; the active version is unchanged`,
          details: [],
        };
      }
      return missing(version);
    },
    list: async () => ({ ok: true, value: await admin.list() }),
    async exportCsv(version) {
      const csv = await admin.export(version, actor);
      return csv === null ? missing(version) : { ok: true, value: csv };
    },
    close: async () => void redis.disconnect(),
  };
}

export function httpTarget(base: string, token: string): TablesTarget {
  const call = async <T>(
    method: string,
    path: string,
    body?: Uint8Array | FormData,
    parse: (res: Response) => Promise<T> = (res) => res.json() as Promise<T>,
  ): Promise<Result<T>> => {
    // A CSV goes as text/csv, its bytes as read; a form sets its own multipart content type with the boundary.
    const csv = body instanceof Uint8Array;
    const res = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(csv ? { 'content-type': 'text/csv' } : {}) },
      // Copied into a plain ArrayBuffer-backed array, the body type fetch takes.
      ...(body !== undefined ? { body: csv ? Uint8Array.from(body) : body } : {}),
    });
    if (res.ok) return { ok: true, value: await parse(res) };
    const error = (
      (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: Problem[] } }
    ).error;
    return {
      ok: false,
      status: res.status,
      code: error?.code ?? 'http_error',
      message: error?.message ?? res.statusText,
      details: error?.details ?? [],
    };
  };
  return {
    upload: (table, o) => {
      const query = new URLSearchParams({
        dryRun: String(o.dryRun),
        activate: String(o.activate),
        name: o.name,
        sample: String(o.sample),
      });
      return call('POST', `/v1/admin/datasets?${query}`, table);
    },
    async uploadGeography(coCodes, npaReport, o) {
      const form = new FormData();
      form.set('coCodes', new Blob([Uint8Array.from(coCodes)]), 'CoCodeAssignment_Utilized_AllStates_Public.zip');
      form.set('npaReport', new Blob([npaReport]), 'npa_report.csv');
      return call('POST', `/v1/admin/geography?dryRun=${o.dryRun}&activate=${o.activate}`, form);
    },
    activate: (version) => call('POST', `/v1/admin/datasets/${encodeURIComponent(version)}/activate`),
    list: async () => {
      const result = await call<{ versions: VersionListing[] }>('GET', '/v1/admin/datasets');
      return result.ok ? { ok: true, value: result.value.versions } : result;
    },
    exportCsv: (version) =>
      call('GET', `/v1/admin/datasets/${encodeURIComponent(version)}/affiliates`, undefined, (res) => res.text()),
    close: async () => {},
  };
}
