import type { FastifyServerOptions } from 'fastify';
import { pino, type DestinationStream } from 'pino';

/** Fields that carry a caller's number or a credential, wherever a log call puts them. */
const SENSITIVE_FIELDS = [
  'phone',
  'From',
  'To',
  'Caller',
  'Called',
  'Digits',
  'ForwardedFrom',
  'CallerId',
  'authorization',
  'cookie',
  'x-api-key',
  'x-twilio-signature',
];
const SENSITIVE_CONTAINERS = ['headers', 'query', 'body', 'params'];
/** Each at the top level of a log call's object, one level down, and under req. */
const REDACT_PATHS = [...SENSITIVE_CONTAINERS, ...SENSITIVE_FIELDS].flatMap((f) => [
  `["${f}"]`,
  `*["${f}"]`,
  `req["${f}"]`,
]);

/**
 * Standard output, written asynchronously: lines gather while a write is in flight, so a busy
 * service makes few writes; pino flushes what is left when the process exits. The app logger and
 * the access log share it, so their lines never interleave mid-line.
 */
export function logDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}

/**
 * Request logs never carry a caller's number: the query string is cut from every URL, anything
 * that looks like a phone number in a path or error is masked, bodies, queries and headers are
 * redacted wherever they appear, and routes log at most the 6-digit NPA-NXX they derived.
 */
export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        path: loggablePath(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: (err: { name?: string; type?: string; message?: string; stack?: string; code?: string }) => ({
        type: err.type ?? err.name ?? 'Error',
        ...(err.code ? { code: err.code } : {}),
        message: maskPhoneNumbers(String(err.message ?? '')),
        stack: maskPhoneNumbers(err.stack ?? ''),
      }),
    },
    redact: {
      paths: REDACT_PATHS,
      censor: '[redacted]',
    },
  };
}

export function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Seven or more digits, alone or with the separators people (and URL paths) put between them. */
const PHONE_LIKE = /\+?\d(?:[\s().%/_-]*\d){6,}/g;

export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE_LIKE, '[number]');
}

/**
 * A URL as it may be logged or echoed: no query string, and no digits, since a path can hold
 * anything, a number split over segments included. It keeps its shape.
 */
export function loggablePath(url: string): string {
  return pathOnly(url)
    .replace(/\d/g, '#')
    .replace(/^\/v#\//, '/v1/'); // the API version is the one digit worth keeping
}
