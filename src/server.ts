import { ConfigError, loadConfig } from './config.js';
import { startService } from './startService.js';
import { SampleDataRefused } from './tables/sampleGuard.js';
import { installGracefulShutdown } from './shutdown.js';

/** The imperative shell: read config, start the service (tables, Redis if set), listen, stop cleanly on a signal. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { app, release } = await startService(config);
  installGracefulShutdown(app, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, onClosed: release });
  await app.ready();
  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SampleDataRefused) console.error(error.message);
  else console.error('crisis-route failed to start:', error);
  process.exit(1);
});
