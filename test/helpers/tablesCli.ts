import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type CliResult = { code: number; stdout: string; stderr: string };

/** The ops CLI as ops run it, with `env` over a clean environment; resolves with its exit code and output. */
export async function tablesCli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  try {
    // NODE_OPTIONS: tap's process tracking (for coverage, which is off) costs each run a third of a second.
    const full = { ...process.env, NODE_OPTIONS: '', REDIS_URL: '', TABLES_TOKEN: '', ...env };
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/tables.ts', ...args], {
      env: full,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
