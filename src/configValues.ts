import { z } from 'zod';

// The kinds of value settings take, each with the one message a bad value gets (config.ts).

export const Port = z.coerce
  .number({ error: 'must be a port number from 1 to 65535' })
  .int('must be a port number from 1 to 65535')
  .min(1, 'must be a port number from 1 to 65535')
  .max(65535, 'must be a port number from 1 to 65535');
export const Flag = z
  .enum(['true', 'false', '1', '0', ''], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');
export const Count = z.coerce
  .number({ error: 'must be a whole number of at least 1' })
  .int('must be a whole number of at least 1')
  .min(1, 'must be a whole number of at least 1');
/** A whole number within bounds, with one message naming them (`what`: "whole milliseconds"). */
export const Whole = (min: number, max: number, what = 'a whole number') => {
  const message = `must be ${what} from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
};
export const Millis = (min: number, max: number) => Whole(min, max, 'whole milliseconds');
export const Whisper = z
  .string()
  .trim()
  .min(1, 'must be a short sentence of 1 to 200 characters, such as "Crisis line call. Press 1 to accept."')
  .max(200, 'must be a short sentence of 1 to 200 characters, such as "Crisis line call. Press 1 to accept."')
  .refine((s) => !/\p{Cc}/u.test(s), 'must be plain text without control characters');
export const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
/**
 * Secrets with labels, `label:secret,label:secret`, so logs and the audit trail can say who acted
 * without the secret. With a default label, a lone secret is accepted and gets that label.
 */
export const labelledSecrets = (what: string, defaultLabel?: string) =>
  z.string().transform((value, ctx) => {
    const secrets = new Map<string, string>();
    for (const entry of value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const colon = entry.indexOf(':');
      const [label, secret] = colon < 0 ? [defaultLabel, entry] : [entry.slice(0, colon), entry.slice(colon + 1)];
      if (
        label === undefined ||
        !/^[A-Za-z0-9._-]{1,40}$/.test(label) ||
        secret.length < 16 ||
        secrets.has(label) ||
        [...secrets.values()].includes(secret)
      ) {
        ctx.addIssue({
          code: 'custom',
          message:
            `must be ${defaultLabel ? `a ${what} of at least 16 characters, or ` : ''}label:${what},label:${what} ` +
            `with distinct labels (letters, digits . _ -) and distinct ${what}s of at least 16 characters`,
        });
        return z.NEVER;
      }
      secrets.set(label, secret);
    }
    return secrets;
  });

/** `host:port,host:port` (IPv6 in brackets; the port defaults to Sentinel's 26379). */
export function parseSentinels(value: string, ctx: z.RefinementCtx): { host: string; port: number }[] {
  const sentinels = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(entry);
      const port = Number(match?.[2] ?? 26379);
      return match && port >= 1 && port <= 65535 ? { host: match[1]!.replace(/^\[|\]$/g, ''), port } : null;
    });
  const valid = sentinels.filter((s) => s !== null);
  if (valid.length > 0 && valid.length === sentinels.length) return valid;
  const message = 'must be the sentinels as host:port,host:port (port 1 to 65535, default 26379)';
  ctx.addIssue({ code: 'custom', message });
  return [];
}

export function parseTrustProxy(value: string, ctx: z.RefinementCtx): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim());
  // IPv4 (dotted) or IPv6 (with colons) addresses, each with an optional /prefix length.
  if (entries.every((e) => /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*)(\/\d{1,3})?$/.test(e)))
    return entries;
  ctx.addIssue({
    code: 'custom',
    message: 'must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses/CIDRs',
  });
  return false;
}
