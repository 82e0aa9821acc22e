import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { FIELD_RULES } from './schemas.js';

export type ErrorBody = {
  error: {
    code: string;
    message: string;
    details?: Array<{ row: number | null; column: string | null; message: string }>;
  };
};

export function errorBody(code: string, message: string, details?: ErrorBody['error']['details']): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

/** Turns ajv's errors into one sentence a caller can act on, naming the field. */
export function formatSchemaErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const first = errors[0];
  const field = first ? fieldOf(first) : '';
  const rule = FIELD_RULES[field];
  let message: string;
  if (rule) message = rule;
  else if (first?.keyword === 'required') message = `${dataVar} must include ${String(first.params.missingProperty)}`;
  else if (first?.keyword === 'type' && field === '') message = `${dataVar} must be a JSON object`;
  else message = `${dataVar}${field ? ` ${field}` : ''} ${first?.message ?? 'is invalid'}`;
  return Object.assign(new Error(message), { statusCode: 400, code: 'invalid_request' });
}

function fieldOf(error: FastifySchemaValidationError): string {
  const path = error.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  return path === '' && typeof error.params.missingProperty === 'string' ? error.params.missingProperty : path;
}

const CLIENT_ERROR_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_body',
};

/**
 * Client mistakes keep their 4xx with a plain message; anything else is our fault and is
 * answered without internals. Routes that a phone system calls install their own fallback first.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 500;
  if (error.validation) {
    void reply.code(400).send(errorBody('invalid_request', error.message));
    return;
  }
  if (status >= 400 && status < 500) {
    const code =
      (error.code && CLIENT_ERROR_CODES[error.code]) ??
      (status === 429 ? 'rate_limited' : status === 404 ? 'not_found' : 'invalid_request');
    const message = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'the body is not valid JSON' : error.message;
    void reply.code(status).send(errorBody(code, message));
    return;
  }
  request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'unhandled error');
  void reply.code(500).send(errorBody('internal', 'internal error'));
}
