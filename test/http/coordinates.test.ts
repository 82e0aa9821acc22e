import t from 'tap';
import { shippedApp } from '../helpers/app.js';

t.test(
  'a coordinate in any decimal form JSON or a query string writes places the caller as Number() reads it',
  async (t) => {
    const { app } = await shippedApp();
    t.teardown(() => app.close());
    const placeOf = async (lat: string, lon: string) => {
      const res = await app.inject(`/v1/route?lat=${encodeURIComponent(lat)}&lon=${encodeURIComponent(lon)}`);
      t.equal(res.statusCode, 200, `${lat},${lon}`);
      return res.json().place;
    };
    const manhattan = await placeOf('40.7506', '-73.9973');
    for (const [lat, lon] of [
      ['+40.7506', '-73.9973'],
      ['4.07506e1', '-7.39973E1'],
      ['40.750600000000000000001', '-73.99730'],
      ['0040.7506', '-073.9973'],
    ])
      t.same(await placeOf(lat!, lon!), manhattan, `${lat},${lon}`);
    t.equal(await placeOf('.5', '-.5'), null, 'a decimal without a leading digit is a number, in the ocean');
  },
);

t.test('a coordinate that is not plain decimal text is refused, naming the field and its rule', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  for (const text of [
    '',
    '-',
    '+',
    '.',
    '-.',
    '1.2.3',
    ' 40',
    '40 ',
    '0x1A',
    '4e',
    'e4',
    'abc',
    'Infinity',
    '1,5',
    '40,7',
    '--4',
    'NaN',
    'true',
    '4_0',
  ]) {
    const res = await app.inject(`/v1/route?lat=${encodeURIComponent(text)}&lon=0`);
    t.equal(res.statusCode, 400, JSON.stringify(text));
    t.equal(res.json().error.message, 'lat must be a number from -90 to 90', JSON.stringify(text));
  }
});
