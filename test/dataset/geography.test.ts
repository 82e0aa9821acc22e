import t from 'tap';
import { parseGeography } from '../../src/dataset/geography.js';

const zips = { columns: ['zip', 'lat', 'lon', 'state', 'city'], rows: [['10001', 40.75, -73.99, 'NY', 'New York']] };
const prefixes = { columns: ['prefix', 'lat', 'lon', 'state', 'place', 'precision'], rows: [['212', 40.75, -73.99, 'NY', 'New York, NY', 'city']] };

t.test('the geography files become places', async (t) => {
  t.same(parseGeography(zips, prefixes), {
    zips: [{ zip: '10001', lat: 40.75, lon: -73.99, state: 'NY', city: 'New York' }],
    prefixes: [{ prefix: '212', lat: 40.75, lon: -73.99, state: 'NY', place: 'New York, NY', precision: 'city' }],
  });
});

t.test('a damaged geography file is refused, naming the row', async (t) => {
  const bad: Array<[unknown, unknown, RegExp]> = [
    [{ ...zips, rows: [...zips.rows, ['1234', 40, -73, 'NY', 'x']] }, prefixes, /row 1 is not \[zip, lat, lon, state, city\]/],
    [{ ...zips, rows: [['10001', 95, -73, 'NY', 'x']] }, prefixes, /row 0/],
    [zips, { ...prefixes, rows: [['212', 40, -73, 'NY', 'x', 'town']] }, /row 0 is not \[prefix/],
    [{ ...zips, columns: ['zip', 'lat'] }, prefixes, /columns must be zip, lat, lon, state, city/],
  ];
  for (const [z, p, message] of bad) t.throws(() => parseGeography(z, p), message);
});
