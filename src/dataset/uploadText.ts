import { AFFILIATE_COLUMNS } from './affiliate.js';
import type { Problem } from './validateDataset.js';

export type Delimiter = ',' | ';' | '\t';
/** An upload as text, with how it was read when that is not plain comma-separated UTF-8. */
export type UploadText =
  { ok: true; text: string; delimiter: Delimiter; notes: string[] } | { ok: false; problems: Problem[] };

const SAVE_AS = 'save it from the spreadsheet with Save As > "CSV UTF-8 (comma delimited)" and upload that file';
const refuse = (message: string, row: number | null = null, column: string | null = null): UploadText => ({
  ok: false,
  problems: [{ row, column, message }],
});

/**
 * What a spreadsheet's CSV export may be, told from its bytes: UTF-8 (with or without a byte order
 * mark), UTF-16 (byte order mark, or the NUL bytes of mostly-ASCII text), or Windows-1252 (which
 * includes Latin-1's letters); separated by commas, semicolons or tabs. Anything converted is said
 * in the notes; anything unreadable is refused in one problem naming what it is.
 */
export function readUploadText(body: Uint8Array | string): UploadText {
  const decoded = typeof body === 'string' ? { ok: true as const, text: body, notes: [] } : decodeBytes(body);
  if (!decoded.ok) return decoded;
  const text = decoded.text.replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(text);
  const pasted = missingLineBreaks(text, delimiter);
  if (pasted) return { ok: false, problems: [pasted] };
  const notes = [...decoded.notes];
  if (delimiter !== ',') notes.push(`columns are separated by ${DELIMITER_NAMES[delimiter]}, not commas: read as such`);
  return { ok: true, text, delimiter, notes };
}

const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'commas', ';': 'semicolons (;)', '\t': 'tabs' };

type Decoded = { ok: true; text: string; notes: string[] } | { ok: false; problems: Problem[] };

function decodeBytes(bytes: Uint8Array): Decoded {
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04))
    return refuse(`this is an Excel workbook (.xlsx, a zip file), not a CSV text table: ${SAVE_AS}`);
  if (starts(0xd0, 0xcf, 0x11, 0xe0))
    return refuse(`this is an Excel 97-2003 workbook (.xls), not a CSV text table: ${SAVE_AS}`);
  if (starts(0xef, 0xbb, 0xbf)) return decodeAs(bytes, 'utf-8', null);
  if (starts(0xff, 0xfe)) return decodeAs(bytes, 'utf-16le', 'UTF-16 LE');
  if (starts(0xfe, 0xff)) return decodeAs(bytes, 'utf-16be', 'UTF-16 BE');
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return decodeAs(bytes, utf16, `${utf16 === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'} (no byte order mark)`);
  const invalid = firstInvalidUtf8(bytes);
  if (invalid.at === -1) return decodeAs(bytes, 'utf-8', null);
  const line = lineOf(bytes, invalid.at);
  const byte = `0x${bytes[invalid.at]!.toString(16).toUpperCase()}`;
  if (invalid.validMultibyte > 0)
    return refuse(
      `the file mixes encodings: it has UTF-8 characters, but line ${line} has byte ${byte}, which is not UTF-8 ` +
        `(near "${nearby(bytes, invalid.at)}"): retype that text, then ${SAVE_AS}`,
      line,
    );
  const text = decodeWindows1252(bytes);
  const c1 = text.search(/[\u0080-\u009f]/);
  if (c1 !== -1) {
    const at = lineOfText(text, c1);
    return refuse(
      `the file is neither UTF-8 nor Windows-1252: line ${at} has byte ` +
        `0x${text.charCodeAt(c1).toString(16).toUpperCase()} (near "${wordAt(text, c1)}"): ${SAVE_AS}`,
      at,
    );
  }
  const first = text.search(/[\u0080-\uffff]/);
  const check = `line ${lineOfText(text, first)} now reads "${wordAt(text, first)}": check that it reads right`;
  return { ok: true, text, notes: [`read as Windows-1252 and converted to UTF-8; ${check}`] };
}

/**
 * Windows-1252 is Latin-1 but for 0x80-0x9F, where it has curly quotes, dashes, the euro sign…
 * Mapped here rather than by TextDecoder, which some Node versions decode as plain Latin-1. The five
 * bytes it leaves undefined stay C1 controls, for the caller to refuse.
 */
const CP1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]!);
}

/** Decoded with `fatal`, so a byte that does not belong is refused, never replaced by U+FFFD. */
function decodeAs(bytes: Uint8Array, encoding: string, name: string | null): Decoded {
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return { ok: true, text, notes: name ? [`read as ${name} and converted to UTF-8`] : [] };
  } catch {
    const what = name ?? 'UTF-8 (it starts with a UTF-8 byte order mark)';
    return refuse(`the file looks like ${what} but does not decode as it (cut short, or damaged): ${SAVE_AS}`);
  }
}

/** Mostly-ASCII text in UTF-16 has a NUL in every other byte: the odd ones (LE) or the even ones (BE). */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.min(bytes.length, 4096) >> 1;
  if (pairs < 2) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

/** The first byte that breaks UTF-8 (-1: none), and how many well-formed multi-byte characters come before it. */
function firstInvalidUtf8(bytes: Uint8Array): { at: number; validMultibyte: number } {
  let validMultibyte = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const [low, high] =
      b === 0xe0
        ? [0xa0, 0xbf]
        : b === 0xed
          ? [0x80, 0x9f]
          : b === 0xf0
            ? [0x90, 0xbf]
            : b === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    const second = bytes[i + 1] ?? -1;
    if (length === 0 || second < low || second > high) return { at: i, validMultibyte };
    for (let k = 2; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return { at: i, validMultibyte };
    validMultibyte++;
    i += length;
  }
  return { at: -1, validMultibyte };
}

function lineOf(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  return line;
}

function lineOfText(text: string, at: number): number {
  return (text.slice(0, at).match(/\r\n|\r|\n/g) ?? []).length + 1;
}

/** The cell-like run of text around `at`, to show ops where in their file. */
function wordAt(text: string, at: number): string {
  const stop = /[,;\t\r\n"]/;
  let start = at;
  let end = at;
  while (start > 0 && at - start < 40 && !stop.test(text[start - 1]!)) start--;
  while (end < text.length && end - at < 40 && !stop.test(text[end]!)) end++;
  return text.slice(start, end);
}

function nearby(bytes: Uint8Array, at: number): string {
  const text = decodeWindows1252(bytes.subarray(Math.max(0, at - 40), at + 40));
  return wordAt(text, Math.min(at, 40));
}

const KNOWN = new Set<string>(AFFILIATE_COLUMNS);
const headerCells = (line: string, delimiter: Delimiter) =>
  line.split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));

/** The separator under which the first line names the most known columns; commas when none does better. */
function detectDelimiter(text: string): Delimiter {
  const line = text.split(/\r\n|\r|\n/, 1)[0] ?? '';
  let best: Delimiter = ',';
  let bestCount = headerCells(line, ',').filter((c) => KNOWN.has(c)).length;
  for (const d of [';', '\t'] as const) {
    const count = headerCells(line, d).filter((c) => KNOWN.has(c)).length;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** A table pasted without its line ends: one line where cells of the header and the rows repeat. */
function missingLineBreaks(text: string, delimiter: Delimiter): Problem | null {
  const trimmed = text.trim();
  if (trimmed === '' || /[\r\n]/.test(trimmed)) return null;
  const cells = headerCells(trimmed, delimiter).filter((c) => c !== '');
  const repeated = cells.find((c, i) => cells.indexOf(c) !== i);
  if (repeated === undefined) return null;
  const known = cells.find((c, i) => KNOWN.has(c) && cells.indexOf(c) !== i);
  const value = (known ?? repeated).slice(0, 60);
  const times = cells.filter((c) => c === (known ?? repeated)).length;
  return {
    row: 1,
    column: known ?? null,
    message:
      `the file has no line breaks: all of its ${cells.length} cells are on line 1 ("${value}" appears ${times} ` +
      `times), as if the table was pasted without its line ends: ${SAVE_AS}, one row per line`,
  };
}
