import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { contract } from './openapiContract.js';
import { buildApp, type AppOptions } from '../../src/http/app.js';
import { loadEmbeddedData, type EmbeddedData } from '../../src/dataset/loadEmbeddedDataset.js';
import { compileRoutingTable } from '../../src/core/compileRoutingTable.js';
import { DEFAULT_POLICY, type RoutingTable } from '../../src/core/types.js';
import { CurrentTable } from '../../src/tables/currentTable.js';

let embedded: Promise<EmbeddedData> | undefined;
let compiled: RoutingTable | undefined;

/** The shipped data/, loaded and compiled once per test process. */
export async function shippedData(): Promise<EmbeddedData> {
  embedded ??= loadEmbeddedData('data');
  return embedded;
}

export async function shippedTable(): Promise<RoutingTable> {
  const data = await shippedData();
  compiled ??= compileRoutingTable(
    data.geography.packed.unpack(),
    data.prepared.dataset,
    DEFAULT_POLICY,
    data.prepared.version,
  );
  return compiled;
}

/** Every log line the app writes, kept for assertions. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export type TestApp = { app: FastifyInstance; logs: LogCapture; tables: CurrentTable };

/** The app on the shipped tables at a fixed instant, logging at info into a capture. */
export async function shippedApp(options: Partial<AppOptions> = {}): Promise<TestApp> {
  const tables = new CurrentTable();
  tables.swap(await shippedTable(), 'embedded');
  const logs = new LogCapture();
  const app = await buildApp({
    tables,
    logLevel: 'info',
    logStream: logs,
    now: () => Date.UTC(2026, 0, 14, 15, 0),
    ...options,
  });
  return { app: checkedAgainstContract(app), logs, tables };
}

/**
 * Every response a test sees through inject is checked against openapi.yaml (path, status, media
 * type, body schema); a response the contract does not describe fails the request that got it.
 */
export function checkedAgainstContract(app: FastifyInstance): FastifyInstance {
  const inject = app.inject.bind(app);
  const checked = async (options: InjectOptions | string) => {
    const res = await inject(options);
    const method = typeof options === 'string' ? 'GET' : (options.method ?? 'GET');
    const url =
      typeof options === 'string'
        ? options
        : typeof options.url === 'string'
          ? options.url
          : (options.path as string | undefined);
    if (url === undefined) return res;
    const contentType = res.headers['content-type'];
    const problem = contract().problemWith({
      method,
      url,
      statusCode: res.statusCode,
      contentType: typeof contentType === 'string' ? contentType : undefined,
      body: res.body,
    });
    if (problem) throw new Error(`response outside openapi.yaml: ${problem}\n${res.body.slice(0, 300)}`);
    return res;
  };
  return Object.assign(app, { inject: checked as typeof app.inject });
}

/** A corrupted copy of a table: every placement points past the end of the rankings. */
export function corruptedTable(table: RoutingTable): RoutingTable {
  const placements = { ...table.placements, start: table.placements.start.map(() => 1e9) };
  return { ...table, placements: { ...placements, length: table.placements.length.map(() => 3) } };
}
