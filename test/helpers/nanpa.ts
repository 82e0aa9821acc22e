import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { auth, type Instance } from './service.js';

// NANPA's two reports as shipped in data/sources, edited and sent as ops would send a newer download.
export const SOURCES = 'data/sources/nanpa';
const CO_FILE = 'CoCodeAssignment_Utilized_AllStates_Public.txt';
/**
 * How long an instance may take to follow an activation before a test calls it stuck: a new geography is
 * fetched, packed and compiled over, by worker threads on a busy machine.
 */
export const SWITCH_DEADLINE_MS = 30_000;

let shippedText: string | undefined;

/** NANPA's central office code file as shipped, with `edit` applied to its text, zipped again. */
export function editedCoCodes(edit: (text: string) => string): Uint8Array {
  shippedText ??= strFromU8(
    unzipSync(readFileSync(`${SOURCES}/CoCodeAssignment_Utilized_AllStates_Public.zip`))[CO_FILE]!,
    true,
  );
  return zipSync({ [CO_FILE]: strToU8(edit(shippedText), true) });
}
export const shippedAreaCodes = () => readFileSync(`${SOURCES}/npa_report.csv`, 'utf8');
export const shippedCoCodes = () => readFileSync(`${SOURCES}/CoCodeAssignment_Utilized_AllStates_Public.zip`);

/** The shipped file with 916-445 moved from Sacramento (SCRM MAIN) to Folsom. */
export const folsom445 = () =>
  editedCoCodes((text) => text.replace(/(\t916-445\t9740\t"PACIFIC BELL"\s*\t)SCRM MAIN /, '$1FOLSOM    '));

/** The multipart body NANPA's two files arrive in, as curl -F would send it. */
export function nanpaUpload(coCodes: Uint8Array, npaReport: string) {
  const boundary = '----crisis-route-test';
  const part = (name: string, filename: string, body: Buffer) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n\r\n`),
      body,
      Buffer.from('\r\n'),
    ]);
  const payload = Buffer.concat([
    part('coCodes', 'CoCodeAssignment_Utilized_AllStates_Public.zip', Buffer.from(coCodes)),
    part('npaReport', 'npa_report.csv', Buffer.from(npaReport)),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return { payload, headers: { ...auth(), 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export type Place = { state: string; name: string; precision: string };
export const placeOf = async (instance: Instance, phone: string) =>
  (await instance.inject(`/v1/route?phone=${encodeURIComponent(phone)}`)).json<{ place: Place | null }>().place;
