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
 * An onRequest hook for the admin routes: `Authorization: Bearer <token>`, checked against every
 * configured token in constant time (digests are compared, so length leaks nothing either).
 */
export function adminAuth(tokens: ReadonlyMap<string, string>) {
  const known = [...tokens].map(([label, token]) => ({ label, digest: digest(token) }));
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    let label: string | undefined;
    if (presented !== undefined) {
      const candidate = digest(presented);
      for (const entry of known) if (timingSafeEqual(candidate, entry.digest)) label = entry.label;
    }
    if (label === undefined) {
      request.log.warn({ req: request, hadToken: presented !== undefined }, 'admin request refused: missing or unknown token');
      return reply.code(401).header('www-authenticate', 'Bearer realm="crisis-route admin"').send(errorBody('unauthorized', 'send Authorization: Bearer <admin token>'));
    }
    request.adminLabel = label;
  };
}
