import type { FastifyInstance } from 'fastify';

export type ShutdownOptions = {
  /** Longest wait for in-flight requests before giving up with exit code 1. */
  timeoutMs: number;
  /** Runs after the server has closed (close Redis here), before exit. */
  onClosed?: () => Promise<void>;
  /** Where signals come from and how the process ends: the real process unless a test says otherwise. */
  signals?: Pick<NodeJS.Process, 'once'>;
  exit?: (code: number) => void;
};

/**
 * On SIGTERM or SIGINT: stop accepting connections, let in-flight requests finish (Fastify's close
 * answers new requests on kept-alive connections with 503), run onClosed, exit 0. A shutdown that
 * outlasts timeoutMs exits 1 so the orchestrator's kill never races a half-closed process.
 */
export function installGracefulShutdown(app: FastifyInstance, options: ShutdownOptions): void {
  const signals = options.signals ?? process;
  const exitProcess = options.exit ?? ((code: number) => process.exit(code));
  let exited = false;
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    exitProcess(code);
  };
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal, timeoutMs: options.timeoutMs }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      app.log.error({ timeoutMs: options.timeoutMs }, 'shutdown took too long; exiting');
      exit(1);
    }, options.timeoutMs);
    deadline.unref();
    try {
      await app.close();
      await options.onClosed?.();
      clearTimeout(deadline);
      app.log.info('shut down cleanly');
      exit(0);
    } catch (error) {
      clearTimeout(deadline);
      app.log.error({ err: error }, 'shutdown failed');
      exit(1);
    }
  };
  signals.once('SIGTERM', () => void stop('SIGTERM'));
  signals.once('SIGINT', () => void stop('SIGINT'));
}
