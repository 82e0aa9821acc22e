import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The label of the admin token presented: who acted, for the audit trail. */
    adminLabel?: string;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The label of the configured token equal to `presented`, checked in constant time: SHA-256
 * digests are compared (equal length whatever was sent, so length leaks nothing either) against
 * every configured token, without stopping at a match.
 */
export function tokenMatcher(tokens: ReadonlyMap<string, string>): (presented: string) => string | undefined {
  const known = [...tokens].map(([label, token]) => ({ label, digest: digest(token) }));
  return (presented) => {
    const candidate = digest(presented);
    let label: string | undefined;
    for (const entry of known) if (timingSafeEqual(candidate, entry.digest)) label = entry.label;
    return label;
  };
}

/** The token in `Authorization: Bearer <token>`, if the header has that form. */
export function presentedToken(request: FastifyRequest): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** An onRequest hook for the admin routes: `Authorization: Bearer <token>`, one of the configured tokens. */
export function adminAuth(tokens: ReadonlyMap<string, string>) {
  const match = tokenMatcher(tokens);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = presentedToken(request);
    const label = presented === undefined ? undefined : match(presented);
    if (label === undefined) {
      request.log.warn(
        { req: request, hadToken: presented !== undefined },
        'admin request refused: missing or unknown token',
      );
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="crisis-route admin"')
        .send(errorBody('unauthorized', 'send Authorization: Bearer <admin token>'));
    }
    request.adminLabel = label;
  };
}
