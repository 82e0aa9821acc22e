import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './redisServer.js';

export type ServerProcess = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  waitFor(text: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** src/server.ts as a real process, with the environment given and nothing inherited but PATH. */
export function startServer(
  env: Record<string, string>,
  command: string[] = ['--import', 'tsx', 'src/server.ts'],
): ServerProcess {
  const child = spawn(process.execPath, command, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters.filter((w) => out.includes(w.text))) w.resolve();
  });
  child.stderr!.on('data', (chunk: Buffer) => void (err += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (text) =>
      out.includes(text)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ text, resolve })),
            exited.then(({ code }) =>
              Promise.reject(
                new Error(`server exited (${code}) before printing ${JSON.stringify(text)}:\n${out}\n${err}`),
              ),
            ),
          ]),
  };
}

/**
 * The service as production runs it (on the shipped sample data, which production must be told to
 * allow), listening on a free local port; killed when the test ends.
 */
export async function startListeningProductionServer(
  t: { teardown(fn: () => void): void },
  env: Record<string, string> = {},
): Promise<{ server: ServerProcess; port: number }> {
  const port = await freePort();
  const server = startServer({
    NODE_ENV: 'production',
    ALLOW_SAMPLE_DATA_IN_PRODUCTION: 'true',
    PORT: String(port),
    HOST: '127.0.0.1',
    ...env,
  });
  t.teardown(() => void server.child.kill('SIGKILL'));
  await server.waitFor('Server listening');
  return { server, port };
}
