import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { parseHours } from '../core/hours.js';
import { isValidTimeZone } from '../core/timeZoneClock.js';
import { splitCountyList } from './counties.js';

/**
 * One row of the affiliates table: the format of data/affiliates.csv and of every upload.
 * CSV cells arrive as strings (empty = absent); JSON uploads may use numbers and arrays.
 */
export const AFFILIATE_COLUMNS = [
  'id',
  'kind',
  'name',
  'phone',
  'lat',
  'lon',
  'zip',
  'state',
  'timeZone',
  'hours',
  'languages',
  'serviceStates',
  'serviceZips',
  'servicePrefixes',
  'serviceCounties',
  'backupId',
  'screened',
] as const;
export type AffiliateColumn = (typeof AFFILIATE_COLUMNS)[number];

/**
 * The columns an export writes: serviceCounties only when a center names a county, so a table
 * without one keeps the bytes, and so the version, it had before the column existed.
 */
export function exportColumns(rows: readonly { serviceCounties?: readonly string[] }[]): AffiliateColumn[] {
  const counties = rows.some((r) => (r.serviceCounties?.length ?? 0) > 0);
  return AFFILIATE_COLUMNS.filter((c) => counties || c !== 'serviceCounties');
}
export const REQUIRED_COLUMNS: readonly AffiliateColumn[] = ['id', 'name', 'phone', 'state', 'timeZone', 'hours'];

const MAX_CELL = 500;
/** How a cell a spreadsheet would run as a formula starts (CSV injection). */
export const FORMULA_START = /^[=@\-+\t\r]/;

const blankToUndefined = (v: unknown) =>
  v === '' || v === null ? undefined : typeof v === 'string' ? v.trim() || undefined : v;

const Text = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be text`) })
    .trim()
    .max(MAX_CELL, `${what} is longer than ${MAX_CELL} characters`)
    // C0 controls and DEL: the Cc category less its C1 block.
    .refine((s) => !/[^\P{Cc}\u0080-\u009f]/u.test(s), `${what} contains control characters`)
    .refine(
      (s) => !FORMULA_START.test(s),
      `${what} must not start with = + - @ (a spreadsheet would run it as a formula)`,
    );

const Coordinate = (what: string, limit: number) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
      z
        .number({ error: `${what} must be a number` })
        .finite(`${what} must be a number`)
        .min(-limit, `${what} must be between -${limit} and ${limit}`)
        .max(limit, `${what} must be between -${limit} and ${limit}`),
    )
    .optional();

/** Space- (or semicolon-, comma-) separated list in CSV, or an array in JSON. */
const List = (what: string, item: z.ZodType<string>) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(/[\s;,]+/).filter(Boolean) : v),
      z.array(item, { error: `${what} must be a list` }).max(2000, `${what} has more than 2000 entries`),
    )
    .optional()
    .transform((v) => v ?? []);

const StateCode = z.string().regex(/^[A-Z]{2}$/, 'must be a 2-letter state code such as NY');

const PhoneNumber = z
  .string({ error: (issue) => (issue.input === undefined ? 'phone is required' : 'phone must be text') })
  .trim()
  .transform((value, ctx) => {
    const parsed = value.length <= 40 ? parsePhoneNumberFromString(value, 'US') : undefined;
    if (
      !parsed ||
      !parsed.isPossible() ||
      parsed.countryCallingCode !== '1' ||
      !/^[2-9]\d{2}[2-9]\d{6}$/.test(parsed.nationalNumber)
    ) {
      ctx.addIssue({
        code: 'custom',
        message:
          `phone "${value.slice(0, 40)}" is not a North American number ` +
          '(use E.164 like +12025550123 or 10 digits)',
      });
      return z.NEVER;
    }
    return parsed.number;
  });

export const AffiliateRowSchema = z.object({
  id: Text('id').pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'id must be 1-64 lowercase letters, digits, dot, dash or underscore'),
  ),
  kind: z.preprocess(
    blankToUndefined,
    z.enum(['affiliate', 'national'], { error: 'kind must be affiliate or national' }).default('affiliate'),
  ),
  name: Text('name').pipe(z.string().min(1, 'name is required')),
  phone: PhoneNumber,
  lat: z.preprocess(blankToUndefined, Coordinate('lat', 90)),
  lon: z.preprocess(blankToUndefined, Coordinate('lon', 180)),
  zip: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'zip must be text' })
      .regex(/^\d{5}$/, 'zip must be 5 digits')
      .optional(),
  ),
  state: z.preprocess(blankToUndefined, StateCode.optional()),
  timeZone: z
    .string({ error: (issue) => (issue.input === undefined ? 'timeZone is required' : 'timeZone must be text') })
    .trim()
    .refine(isValidTimeZone, 'timeZone is not a known IANA time zone (e.g. America/New_York)'),
  hours: z
    .string({ error: (issue) => (issue.input === undefined ? 'hours are required' : 'hours must be text') })
    .trim()
    .superRefine((value, ctx) => {
      const result = parseHours(value);
      if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
    }),
  languages: z.preprocess(
    blankToUndefined,
    List('languages', z.string().regex(/^[a-z]{2,3}$/, 'languages are ISO 639-1 codes such as en es')),
  ),
  serviceStates: z.preprocess(blankToUndefined, List('serviceStates', StateCode)),
  serviceZips: z.preprocess(
    blankToUndefined,
    List('serviceZips', z.string().regex(/^\d{5}$/, 'serviceZips are 5-digit zips')),
  ),
  servicePrefixes: z.preprocess(
    blankToUndefined,
    List(
      'servicePrefixes',
      z
        .string()
        .regex(
          /^[2-9]\d{2,6}$/,
          'servicePrefixes are 3 to 7 digits of a phone number after the +1, e.g. 212 or 212555',
        ),
    ),
  ),
  // FIPS codes or "Name, ST" as written; validateDataset resolves them to FIPS codes over the geography's counties.
  serviceCounties: z.preprocess(
    blankToUndefined,
    z
      .preprocess(
        (v) => (typeof v === 'string' ? (splitCountyList(v) ?? v) : v),
        z
          .array(z.string().trim().min(1).max(100, 'a serviceCounties entry is longer than 100 characters'), {
            error:
              'serviceCounties are 5-digit county FIPS codes or names with their state, e.g. Westchester County, NY',
          })
          .max(2000, 'serviceCounties has more than 2000 entries'),
      )
      .optional()
      .transform((v) => v ?? []),
  ),
  backupId: z.preprocess(blankToUndefined, z.string({ error: 'backupId must be text' }).max(64).optional()),
  // false: the center's own system answers (an IVR or auto-attendant), so no whisper before it. Empty = true.
  screened: z.preprocess(
    (v) => {
      const cell = blankToUndefined(v);
      return typeof cell === 'string' && /^(true|false)$/i.test(cell) ? cell.toLowerCase() === 'true' : cell;
    },
    z.boolean({ error: 'screened must be true or false' }).optional(),
  ),
});

export type AffiliateRow = z.infer<typeof AffiliateRowSchema>;

/** A validated center, its location resolved. The national line has no location. */
export type Affiliate = Omit<
  AffiliateRow,
  'lat' | 'lon' | 'zip' | 'state' | 'backupId' | 'languages' | 'serviceCounties'
> & {
  /** County FIPS codes once validated; absent = none. */
  serviceCounties?: string[];
  lat: number | null;
  lon: number | null;
  zip: string | null;
  state: string | null;
  backupId: string | null;
  languages: string[];
};

/** The reserved fictional range NPA-555-0100..0199. */
export function isFictionalNumber(e164: string): boolean {
  return /^\+1[2-9]\d{2}55501\d{2}$/.test(e164);
}
