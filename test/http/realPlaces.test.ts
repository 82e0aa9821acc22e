import t from 'tap';
import { shippedApp } from '../helpers/app.js';

type Answer = {
  destinations: Array<{ id: string; kind: string; state: string | null }>;
  needsZip: boolean;
  method: string;
};

t.test("real places reach the right state's centers on the shipped data", async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  const first = async (query: string) => {
    const res = await app.inject(`/v1/route?${query}`);
    t.equal(res.statusCode, 200, query);
    const body = res.json<Answer>();
    t.equal(body.destinations.at(-1)!.kind, 'national', `${query} ends with the national line`);
    return body;
  };
  const cases: Array<[string, string, string]> = [
    ['a Manhattan zip', 'zip=10013', 'NY'],
    ['a 212 number', 'phone=%2B12125550143', 'NY'],
    ['an Anchorage zip', 'zip=99501', 'AK'],
    ['an Anchorage location', 'lat=61.2181&lon=-149.9003', 'AK'],
    ['a Honolulu zip', 'zip=96813', 'HI'],
    ['a Honolulu number (808)', 'phone=%2B18085550143', 'HI'],
    ['a San Juan zip', 'zip=00901', 'PR'],
    ['a 787 number', 'phone=%2B17875550143', 'PR'],
    ['a 939 number', 'phone=%2B19395550143', 'PR'],
    ['a San Francisco number', 'phone=%2B14155552671', 'CA'],
    ['a DC zip', 'zip=20001', 'DC'],
    ['an El Paso zip', 'zip=79901', 'TX'],
  ];
  for (const [what, query, state] of cases) {
    const body = await first(query);
    t.equal(body.destinations[0]!.state, state, `${what} reaches ${state}`);
  }
  t.equal((await first('zip=10013')).destinations[0]!.id, 'ny-new-york', 'Manhattan reaches the New York center');
  t.equal(
    (await first('phone=%2B19075550143')).needsZip,
    true,
    'a 907 number is placed only at state level, so the caller is asked for a zip',
  );
});
