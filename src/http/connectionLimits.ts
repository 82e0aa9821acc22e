import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:http';

/** How long each phase of a connection may last, and how many may be open at once (docs/connections.md). */
export type ConnectionLimits = {
  /** From the first byte of a request (or the connection's opening) to its last header line. */
  headersTimeoutMs: number;
  /** From the first byte of a request to the last byte of its body. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection between requests. */
  keepAliveTimeoutMs: number;
  /** A connection mid-request or mid-answer on which no byte moves: a client not reading, an answer not coming. */
  stalledConnectionTimeoutMs: number;
  maxConnections: number;
};

export type ServerTimeouts = {
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  http: ServerOptions;
};

/** The limits as Fastify's server options (Fastify's own default turns the request timeout off). */
export function serverTimeouts(limits: ConnectionLimits): ServerTimeouts {
  // Node checks the header and request deadlines on an interval (every 30 s by default), so a
  // deadline would be overrun by up to that much: check often enough to keep to it.
  const shorterDeadlineMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const checkEveryMs = Math.max(10, Math.min(1000, Math.floor(shorterDeadlineMs / 4)));
  return {
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.stalledConnectionTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: checkEveryMs },
  };
}

/** Descriptors kept for the process itself: Redis connections, snapshot and data files, workers, stdio. */
export const RESERVED_DESCRIPTORS = 256;

/**
 * The connection cap that fits the open-file limit. Past that limit the kernel refuses new
 * connections before Node sees them, silently; at the cap Node refuses them and says so.
 */
export function connectionCap(maxConnections: number, openFileLimit: number | null): number {
  if (openFileLimit === null) return maxConnections;
  return Math.min(maxConnections, Math.max(Math.floor(openFileLimit / 2), openFileLimit - RESERVED_DESCRIPTORS));
}

/** The soft open-file limit this process runs with (Node raises it to the hard limit at start); null if unknown. */
export function openFileLimit(limitsText = readProcLimits()): number | null {
  const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(limitsText ?? '');
  if (!match || match[1] === 'unlimited') return null;
  return Number(match[1]);
}

function readProcLimits(): string | null {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null; // not Linux: the limit is the operator's to set (docs/connections.md)
  }
}
