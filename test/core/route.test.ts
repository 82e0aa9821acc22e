import t from 'tap';
import { openCentersAt, route, type RouteDecision, type RouteQuery } from '../../src/core/route.js';
import type { RoutingTable } from '../../src/core/types.js';
import {
  ALBANY,
  MANHATTAN,
  NEWARK,
  PHILADELPHIA,
  WEDNESDAY_10AM_NEW_YORK,
  center,
  clockAt,
  compileMini,
} from '../helpers/miniWorld.js';

function decide(table: RoutingTable, query: RouteQuery, nowMs = WEDNESDAY_10AM_NEW_YORK): RouteDecision {
  const result = route(table, query, openCentersAt(table, clockAt(nowMs)));
  if (!('destinations' in result)) throw new Error(`expected a decision, got ${JSON.stringify(result)}`);
  return result;
}
const ids = (d: RouteDecision) => d.destinations.map((x) => x.id);
const phone = (p: string, lang?: string): RouteQuery => ({ kind: 'phone', phone: p, lang });
const zip = (z: string, lang?: string): RouteQuery => ({ kind: 'zip', zip: z, lang });

const world = compileMini([MANHATTAN, ALBANY, NEWARK, PHILADELPHIA]);

t.test('state-first: in-state centers nearest first, then others nearest first, then the national line', async (t) => {
  const d = decide(world, zip('10001'));
  t.same(ids(d), ['ny-manhattan', 'ny-albany', 'nj-newark', 'pa-philadelphia', 'national']);
  t.equal(d.method, 'zip');
  t.equal(d.needsZip, false);
  t.equal(d.destinations[0]!.distanceKm, 0);
  t.equal(d.destinations.at(-1)!.distanceKm, null);
});

t.test('nearest policy ignores the state line', async (t) => {
  const nearest = compileMini([MANHATTAN, ALBANY, NEWARK, PHILADELPHIA], { name: 'nearest', nearbyLimit: 3 });
  t.same(ids(decide(nearest, zip('10001'))), ['ny-manhattan', 'nj-newark', 'pa-philadelphia', 'national']);
});

t.test('a caller near a state line stays with their own state under state-first', async (t) => {
  const d = decide(world, zip('10964'));
  t.equal(d.destinations[0]!.id, 'ny-manhattan');
  t.ok(ids(d).indexOf('ny-albany') < ids(d).indexOf('nj-newark'), 'Albany (NY) before the nearer Newark (NJ)');
});

t.test('phones match the longest prefix, from the thousands block down to the area code', async (t) => {
  const d = decide(world, phone('+12122267834'));
  t.equal(d.method, 'prefix');
  t.equal(d.prefixLength, 3);
  t.equal(d.destinations[0]!.id, 'ny-manhattan');
  t.equal(d.callerPrefix, '212226');
  const albany = decide(world, phone('+15184445555'));
  t.equal(albany.prefixLength, 4);
  t.equal(albany.destinations[0]!.id, 'ny-albany');
  t.equal(albany.needsZip, false);
});

t.test('an answer says where the caller was placed, and how precisely', async (t) => {
  t.same(decide(world, phone('+12122267834')).place, { state: 'NY', name: 'New York', precision: 'exchange' });
  t.same(decide(world, phone('+15182345678')).place, { state: 'NY', name: 'New York', precision: 'areaCode' });
  t.same(decide(world, zip('07102')).place, { state: 'NJ', name: 'Newark', precision: 'zip' });
  t.same(decide(world, zip('10099')).place, { state: 'NY', name: 'New York', precision: 'zip3' });
  const located = decide(world, { kind: 'location', lat: 42.65, lon: -73.75 });
  t.same(located.place, { state: 'NY', name: 'Albany', precision: 'location' });
  t.equal(decide(world, phone('Anonymous')).place, null, 'nothing placed a withheld caller');
});

t.test('a phone answer carries the line type of its exchange; zip and location answers carry none', async (t) => {
  t.equal(decide(world, phone('+15184445555')).lineType, 'wireless');
  t.equal(decide(world, phone('+12122267834')).lineType, 'wireline');
  t.equal(decide(world, phone('+15182345678')).lineType, 'unknown', 'placed by area code alone');
  t.equal(decide(world, phone('Anonymous')).lineType, 'unknown');
  t.equal(decide(world, zip('10001')).lineType, null);
  t.equal(decide(world, { kind: 'location', lat: 42.65, lon: -73.75 }).lineType, null);
});

t.test('an APO/FPO zip asks where the caller is now, with a reason of its own', async (t) => {
  for (const z of ['09012', '09499', '34002', '96201', '96601']) {
    const d = decide(world, zip(z));
    t.same([d.reason, d.needsZip, d.place, ids(d)], ['militaryZip', true, null, ['national']], z);
  }
});

t.test("a match at area-code (state) level answers the state's centers and asks for a zip", async (t) => {
  const d = decide(world, phone('+15182345678'));
  t.equal(d.needsZip, true);
  t.equal(d.reason, 'areaCodeOnly');
  t.equal(d.destinations[0]!.state, 'NY');
  t.equal(ids(d).at(-1), 'national');
});

t.test('callers that cannot be placed get needsZip and the national line', async (t) => {
  const cases: Array<[string, string]> = [
    ['Anonymous', 'withheld'],
    ['+266696687', 'withheld'],
    ['', 'withheld'],
    ['+18005551234', 'tollFree'],
    ['+19005551234', 'nonGeographic'],
    ['+15005551234', 'nonGeographic'],
    ['+14165551234', 'outsideUS'],
    ['+442071838750', 'outsideNanp'],
  ];
  for (const [input, reason] of cases) {
    const d = decide(world, phone(input));
    t.equal(d.needsZip, true, `${input} needs a zip`);
    t.equal(d.reason, reason, `${input}: ${reason}`);
    t.same(ids(d), ['national'], `${input}: national line only`);
    t.equal(d.method, 'none');
  }
});

t.test('an unparseable phone is a failure the HTTP layer answers with 400', async (t) => {
  t.same(route(world, phone('not a number'), openCentersAt(world, clockAt(0))), {
    kind: 'invalid',
    field: 'phone',
    message: 'phone is not a phone number',
  });
});

t.test(
  'zips: ZIP+4 uses its first five digits; an unknown zip falls back to its 3-digit area, then the national line',
  async (t) => {
    t.same(ids(decide(world, zip('10001-1234'))), ids(decide(world, zip('10001'))));
    const zip3 = decide(world, zip('10099'));
    t.equal(zip3.method, 'zip3');
    t.equal(zip3.destinations[0]!.id, 'ny-manhattan');
    const unknown = decide(world, zip('99999'));
    t.equal(unknown.method, 'none');
    t.equal(unknown.reason, 'unknownZip');
    t.same(ids(unknown), ['national']);
  },
);

t.test('a location is placed at the nearest zip; a location far from every zip gets the national line', async (t) => {
  const d = decide(world, { kind: 'location', lat: 40.74, lon: -74.16 });
  t.equal(d.method, 'location');
  t.equal(d.destinations[0]!.id, 'nj-newark');
  const atSea = decide(world, { kind: 'location', lat: 30, lon: -40 });
  t.same(ids(atSea), ['national']);
  t.equal(atSea.needsZip, true);
});

t.test('a center outside its hours moves behind the open ones and says open: false', async (t) => {
  const office = compileMini([{ ...MANHATTAN, hours: 'Mo-Fr 09:00-17:00' }, ALBANY, NEWARK]);
  const night = Date.UTC(2026, 0, 14, 4, 0); // 23:00 Tuesday in New York
  const d = decide(office, zip('10001'), night);
  t.same(ids(d), ['ny-albany', 'nj-newark', 'ny-manhattan', 'national']);
  t.equal(d.destinations[2]!.open, false);
  t.equal(decide(office, zip('10001')).destinations[0]!.id, 'ny-manhattan', 'open in office hours: first again');
});

t.test('a center closes on the minute its hours end, on the same compiled table', async (t) => {
  const office = compileMini([{ ...MANHATTAN, hours: 'Mo-Fr 09:00-17:00' }, ALBANY, NEWARK]);
  const lastSecondOpen = Date.UTC(2026, 0, 14, 21, 59, 59, 999); // 16:59:59.999 Wednesday in New York
  const atFive = lastSecondOpen + 1;
  t.equal(
    decide(office, zip('10001'), lastSecondOpen).destinations[0]!.id,
    'ny-manhattan',
    'open until the last millisecond',
  );
  const closed = decide(office, zip('10001'), atFive);
  t.same(ids(closed), ['ny-albany', 'nj-newark', 'ny-manhattan', 'national'], 'closed from 17:00');
  t.equal(closed.destinations[2]!.open, false);
  t.equal(
    decide(office, zip('10001'), lastSecondOpen).destinations[0]!.open,
    true,
    'asked again about the earlier instant: open again',
  );
});

t.test('a decision is plain data: its fields and destinations, nothing of the table', async (t) => {
  const d = decide(world, zip('10001'));
  t.equal(Object.getPrototypeOf(d), Object.prototype);
  const shown = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
  const fields = ['callerPrefix', 'datasetVersion', 'destinations', 'lineType', 'method', 'needsZip'];
  t.same(Object.keys(shown).sort(), [...fields, 'place', 'prefixLength', 'reason']);
  t.same(shown, d, 'nothing hidden: the JSON is the decision');
  t.same(
    (shown.destinations as Array<{ id: string }>).map((x) => x.id),
    ids(d),
  );
});

t.test('lang moves centers offering that language ahead, among open centers', async (t) => {
  const table = compileMini([MANHATTAN, { ...ALBANY, languages: ['en', 'es'] }, NEWARK]);
  t.same(ids(decide(table, zip('10001', 'es'))), ['ny-albany', 'ny-manhattan', 'nj-newark', 'national']);
  t.same(
    ids(decide(table, zip('10001'))),
    ['ny-manhattan', 'ny-albany', 'nj-newark', 'national'],
    'no lang: distance order',
  );
  const closedSpanish = compileMini([
    MANHATTAN,
    { ...ALBANY, languages: ['en', 'es'], hours: 'Sa 10:00-11:00' },
    NEWARK,
  ]);
  t.same(
    ids(decide(closedSpanish, zip('10001', 'es'))),
    ['ny-manhattan', 'nj-newark', 'ny-albany', 'national'],
    'an open center beats a closed one that speaks the language',
  );
});

t.test('service areas take callers whatever the distance, before in-state centers', async (t) => {
  const table = compileMini([
    MANHATTAN,
    ALBANY,
    { ...PHILADELPHIA, serviceZips: ['10002'] },
    { ...NEWARK, servicePrefixes: ['212226'] },
  ]);
  t.equal(decide(table, zip('10002')).destinations[0]!.id, 'pa-philadelphia', 'by zip');
  t.equal(decide(table, zip('10001')).destinations[0]!.id, 'ny-manhattan', 'not a neighbouring zip');
  const byPrefix = decide(table, phone('+12122267834'));
  t.equal(byPrefix.destinations[0]!.id, 'nj-newark', 'by a 6-digit prefix the geography lacks');
  t.equal(byPrefix.prefixLength, 6);
  t.equal(decide(table, phone('+12123337834')).destinations[0]!.id, 'ny-manhattan', 'other exchanges unaffected');
  const byState = compileMini([MANHATTAN, { ...PHILADELPHIA, serviceStates: ['NY'] }]);
  t.equal(decide(byState, zip('12207')).destinations[0]!.id, 'pa-philadelphia', 'by state');
});

t.test("a center's backup follows it in the chain", async (t) => {
  const table = compileMini([{ ...MANHATTAN, backupId: 'pa-philadelphia' }, ALBANY, NEWARK, PHILADELPHIA]);
  t.same(ids(decide(table, zip('10001'))), ['ny-manhattan', 'pa-philadelphia', 'ny-albany', 'nj-newark', 'national']);
});

t.test('the chain always ends with the national line and never repeats a center', async (t) => {
  const many = compileMini([
    MANHATTAN,
    ALBANY,
    NEWARK,
    PHILADELPHIA,
    center({ id: 'ny-2', lat: 40.8, lon: -73.95, backupId: 'ny-manhattan' }),
    center({ id: 'ny-3', lat: 40.6, lon: -73.95, serviceStates: ['NY'] }),
  ]);
  for (const q of [zip('10001'), zip('12207'), zip('19103'), phone('+12122267834'), phone('+19735551234')]) {
    const list = ids(decide(many, q));
    t.equal(list.at(-1), 'national');
    t.equal(new Set(list).size, list.length, `no repeats for ${JSON.stringify(q)}`);
  }
});
