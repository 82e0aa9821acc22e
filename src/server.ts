import { performance } from 'node:perf_hooks';
import { ConfigError, loadConfig } from './config.js';
import { loadEmbeddedData } from './dataset/loadEmbeddedDataset.js';
import { compileRoutingTable } from './routing/compileRoutingTable.js';
import { DEFAULT_POLICY } from './routing/types.js';
import { CurrentTable } from './store/currentTable.js';
import { buildApp } from './http/app.js';
import { callerSettingsFrom } from './http/callerSettings.js';

/** The imperative shell: read config, load tables, listen, and stop cleanly on a signal. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const tables = new CurrentTable();
  const app = await buildApp({ tables, logLevel: config.LOG_LEVEL, callers: callerSettingsFrom(config) });

  const started = performance.now();
  const embedded = await loadEmbeddedData(config.DATA_DIR);
  const policy = { ...DEFAULT_POLICY, name: config.ROUTING_POLICY };
  const table = compileRoutingTable(embedded.geography, embedded.dataset, policy, embedded.version);
  const compileMs = performance.now() - started;
  tables.swap(table, 'embedded', compileMs);
  app.log.info({ datasetVersion: table.version, sample: table.sample, ...table.stats, compileMs: Math.round(compileMs) }, 'routing tables loaded from data/');

  await app.listen({ port: config.PORT, host: config.HOST });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    deadline.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('crisis-route failed to start:', error);
  process.exit(1);
});
