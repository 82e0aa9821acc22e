import { ConfigError, loadConfig } from '../../src/config.js';

/** The messages loadConfig refuses an environment with; none when it is accepted. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return error instanceof ConfigError ? error.problems : [String(error)];
  }
}
