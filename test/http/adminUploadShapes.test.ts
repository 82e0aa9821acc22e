import t from 'tap';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { auth, sampleCsv, startInstance } from '../helpers/service.js';

// Tables as spreadsheets save them, uploaded through the admin API as ops would: curl --data-binary or -F.
const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const instance = await startInstance(redisServer.url, {
  namespace: testNamespace(),
  env: { MAX_UPLOAD_BYTES: '262144' },
});
t.teardown(() => instance.close());
const { inject } = instance;

const MAYAGUEZ = 'Sample Center Mayagüez (fictional)';
const csv = sampleCsv().replace('Sample Center San Juan (fictional)', MAYAGUEZ);
const upload = (payload: Buffer | string, query: string, contentType = 'text/csv') =>
  inject({
    method: 'POST',
    url: `/v1/admin/datasets${query}`,
    headers: { ...auth(), 'content-type': contentType },
    payload,
  });
const exported = async (version: string) =>
  (await inject({ url: `/v1/admin/datasets/${version}/affiliates`, headers: auth() })).body;
type Problem = { row: number | null; column: string | null; message: string };
const details = (res: { json: <T>() => T }) => res.json<{ error: { details: Problem[] } }>().error.details;

t.test('a Windows-1252 CSV is stored as UTF-8 "Mayagüez", and the answer says it was converted', async (t) => {
  const res = await upload(Buffer.from(csv, 'latin1'), '?name=cp1252');
  t.equal(res.statusCode, 201, res.body);
  t.same(res.json().notes, [
    'read as Windows-1252 and converted to UTF-8; line 158 now reads ' + `"${MAYAGUEZ}": check that it reads right`,
  ]);
  const stored = await exported(res.json().version);
  t.match(stored, `pr-san-juan,affiliate,${MAYAGUEZ},`);
  t.notMatch(stored, '\uFFFD');
});

t.test('UTF-8 as it is, with or without a byte order mark: no notes', async (t) => {
  const plain = await upload(Buffer.from(csv), '?dryRun=true');
  const withBom = await upload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), '?dryRun=true');
  t.same(plain.json().notes, []);
  t.same(withBom.json().notes, []);
  t.equal(withBom.json().version, plain.json().version, 'the same table');
});

t.test('a UTF-16 file sent as a form part (curl -F) is converted too', async (t) => {
  const form = new FormData();
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
  form.set('table', new Blob([bytes]), 'affiliates.csv');
  const request = new Request('http://x/', { method: 'POST', body: form });
  const res = await upload(
    Buffer.from(await request.arrayBuffer()),
    '?dryRun=true&name=cp1252',
    request.headers.get('content-type')!,
  );
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().notes, ['read as UTF-16 LE and converted to UTF-8']);
  const cp1252 = await upload(Buffer.from(csv, 'latin1'), '?dryRun=true&name=cp1252');
  t.equal(res.json().version, cp1252.json().version, 'the same table as the Windows-1252 one');
});

t.test('a semicolon-separated export is read, and the answer says so', async (t) => {
  const semicolons = stringify(parse(csv) as string[][], { delimiter: ';' });
  const res = await upload(semicolons, '?dryRun=true');
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().notes, ['columns are separated by semicolons (;), not commas: read as such']);
  t.equal(res.json().version, (await upload(csv, '?dryRun=true')).json().version, 'the same table');
});

t.test('refusals are one problem each, naming where and what would fix it; nothing is stored', async (t) => {
  const before = (await inject({ url: '/v1/admin/datasets', headers: auth() })).json();
  const pasted = await upload(csv.trim().split('\n').join(','), '?activate=true');
  t.equal(pasted.statusCode, 422);
  t.match(details(pasted), [{ row: 1, message: /^the file has no line breaks/ }]);
  t.equal(details(pasted).length, 1, 'one message, not one per repeated cell');

  const damaged = await upload(csv.replace('Mayagüez', 'Mayag\uFFFDez'), '?activate=true');
  t.equal(damaged.statusCode, 422);
  t.match(details(damaged), [
    { row: 158, column: 'name', message: /^name "Sample Center Mayag\uFFFDez \(fictional\)" holds U\+FFFD/ },
  ]);
  t.equal(details(damaged).length, 1);

  const xml = await upload('<affiliates/>', '', 'application/xml');
  t.equal(xml.statusCode, 415, 'a type no spreadsheet saves is still refused as a media type');
  t.same((await inject({ url: '/v1/admin/datasets', headers: auth() })).json(), before, 'nothing stored');
});

t.test('a form part over MAX_UPLOAD_BYTES is 413 like a body over it', async (t) => {
  const form = new FormData();
  form.set('table', new Blob([csv.repeat(40)]), 'affiliates.csv');
  const request = new Request('http://x/', { method: 'POST', body: form });
  const res = await upload(Buffer.from(await request.arrayBuffer()), '', request.headers.get('content-type')!);
  t.equal(res.statusCode, 413);
  t.match(details(res), [{ message: /^the upload is larger than the \d+ bytes allowed \(MAX_UPLOAD_BYTES\)$/ }]);
});
