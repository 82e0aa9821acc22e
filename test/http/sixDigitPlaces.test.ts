import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseCoCodeZip } from '../../src/geography/nanpaReports.js';
import { isRoutedState } from '../../src/core/stateNames.js';
import { shippedApp } from '../helpers/app.js';

type Answer = {
  destinations: Array<{ id: string; kind: string; state: string | null }>;
  method: string;
  prefixLength: number | null;
  needsZip: boolean;
  reason: string | null;
  place: { state: string; name: string; precision: string } | null;
  lineType: string | null;
};

const NANPA_FILE = 'data/sources/nanpa/CoCodeAssignment_Utilized_AllStates_Public.zip';

t.test('callers are placed by the first six digits of their number, as NANPA assigns them', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  const ask = async (phone: string) =>
    (await app.inject(`/v1/route?phone=${encodeURIComponent(phone)}`)).json<Answer>();

  const sacramento = await ask('+19164452841');
  t.same(sacramento.place, { state: 'CA', name: 'Sacramento', precision: 'exchange' });
  t.same([sacramento.method, sacramento.prefixLength, sacramento.needsZip], ['prefix', 6, false]);
  t.equal(sacramento.destinations[0]!.state, 'CA');

  const newYork624 = await ask('+16242345678');
  t.same(
    newYork624.place,
    { state: 'NY', name: 'New York', precision: 'areaCode' },
    '624 has no exchange yet: New York state',
  );
  t.same([newYork624.reason, newYork624.needsZip], ['areaCodeOnly', true]);

  const jerseyCity = await ask('+12016315555');
  t.same(jerseyCity.place, { state: 'NJ', name: 'Jersey City', precision: 'exchange' }, 'NANPA wins on the state');

  for (const reserved of ['+12782345678', '+16272345678']) {
    const answer = await ask(reserved);
    t.same([answer.place, answer.reason], [null, 'outsideUS'], `${reserved.slice(2, 5)} is not in service: no place`);
  }
});

t.test('an exchange held by a wireless carrier is marked wireless', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  // 916-201: CELLCO PARTNERSHIP DBA VERIZON WIRELESS - CA in NANPA's file; 916-445: Pacific Bell.
  const verizon = (await app.inject('/v1/route?phone=%2B19162015555')).json<Answer>();
  t.equal(verizon.lineType, 'wireless');
  t.equal((await app.inject('/v1/route?phone=%2B19164452841')).json<Answer>().lineType, 'wireline');
  t.equal((await app.inject('/v1/route?zip=95814')).json<Answer>().lineType, null);
});

t.test(
  "1,000 exchanges drawn from NANPA's file are placed in NANPA's state, nearly all at their rate center",
  async (t) => {
    const { app } = await shippedApp();
    t.teardown(() => app.close());
    const codes = parseCoCodeZip(readFileSync(NANPA_FILE)).codes.filter((c) => isRoutedState(c.state));
    const step = Math.floor(codes.length / 1000);
    const drawn = Array.from({ length: 1000 }, (_, i) => codes[i * step]!);
    let wrongState = 0;
    let atExchange = 0;
    for (const code of drawn) {
      const answer = (await app.inject(`/v1/route?phone=%2B1${code.exchange}1234`)).json<Answer>();
      if (answer.place?.state !== code.state) wrongState++;
      if (answer.place?.precision === 'exchange') atExchange++;
      else if (answer.place?.precision !== 'areaCode') t.fail(`${code.exchange}: placed at ${answer.place?.precision}`);
    }
    t.equal(wrongState, 0, "every one in NANPA's state");
    t.ok(atExchange >= 970, `${atExchange} of 1000 at rate-center level (the build reports 97.8% of all)`);
  },
);
