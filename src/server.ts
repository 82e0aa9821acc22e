import { ConfigError, loadConfig } from './config.js';
import { startService } from './startService.js';

/** The imperative shell: read config, start the service (tables, Redis if set), listen, and stop cleanly on a signal. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { app, close } = await startService(config);

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
    await close();
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
