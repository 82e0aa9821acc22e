/**
 * What went wrong with Redis, in a fixed vocabulary: readiness and error answers say which of these
 * it was, never the client's own message (which can name Redis's host and port).
 */
export const STORE_PROBLEMS = [
  'timeout',
  'connection_lost',
  'out_of_memory',
  'loading',
  'read_only',
  'auth_failed',
  'persistence_failed',
  'version_unloadable',
  'other',
] as const;
export type StoreProblem = (typeof STORE_PROBLEMS)[number];

/** A store fault as an admin answer: the problem, and a sentence for whoever retries. */
export type StoreFault = { problem: StoreProblem; message: string };

// Redis's reply prefixes and ioredis's own messages, by problem; the first match wins.
const PATTERNS: ReadonlyArray<[StoreProblem, RegExp]> = [
  ['timeout', /^Command timed out|ETIMEDOUT/],
  ['out_of_memory', /^OOM |OOM command not allowed/],
  ['loading', /^LOADING /],
  ['read_only', /^READONLY /],
  ['auth_failed', /^(NOAUTH|WRONGPASS) |invalid password/i],
  ['persistence_failed', /^MISCONF /],
  ['version_unloadable', /^cannot load /],
  ['connection_lost', /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE/],
  ['connection_lost', /Connection is closed|connection to Redis lost|Stream isn't writeable/i],
  ['connection_lost', /max retries per request|All sentinels are unreachable/i],
];

/** The problem a Redis error message describes; null for an error that is not about Redis. */
export function storeProblemOf(message: string): StoreProblem | null {
  if ((STORE_PROBLEMS as readonly string[]).includes(message)) return message as StoreProblem;
  return PATTERNS.find(([, pattern]) => pattern.test(message))?.[0] ?? null;
}

/** For readiness: any text becomes a word of the vocabulary ('other' when unrecognised). */
export function publicStoreProblem(text: unknown): StoreProblem | null {
  if (text === null || text === undefined) return null;
  return storeProblemOf(String(text)) ?? 'other';
}

/** An error from a Redis command as an admin answer, or null when the error is not Redis's. */
export function storeFault(error: Error, timeoutMs: number): StoreFault | null {
  // A refused MULTI says only EXECABORT; why is in the errors of the commands it queued.
  const cause = (error as { previousErrors?: Error[] }).previousErrors?.[0] ?? error;
  const problem = storeProblemOf(cause.message);
  if (problem === null || problem === 'version_unloadable' || problem === 'other') return null;
  return { problem, message: faultMessage(problem, cause.message, timeoutMs) };
}

/** The answer when Redis is known to be away though the error itself does not say so. */
export const UNREACHABLE: StoreFault = {
  problem: 'connection_lost',
  message: 'the table store (Redis) is unreachable',
};

function faultMessage(problem: StoreProblem, raw: string, timeoutMs: number): string {
  switch (problem) {
    case 'timeout':
      return `Redis did not answer within ${timeoutMs / 1000} s`;
    case 'out_of_memory':
      // Redis's own sentence names no address; what follows it (a script's digest) says nothing useful.
      return `Redis is out of memory: ${raw.split('. ')[0]!.replace(/\.$/, '')}`;
    case 'loading':
      return 'Redis is still loading its data after a restart';
    case 'read_only':
      return 'Redis is a read-only replica (a failover may be in progress)';
    case 'auth_failed':
      return 'Redis refused the credentials it was given';
    case 'persistence_failed':
      return 'Redis refuses writes because it cannot persist them to disk';
    default:
      return UNREACHABLE.message;
  }
}
