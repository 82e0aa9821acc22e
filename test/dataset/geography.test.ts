import t from 'tap';
import { parseGeography } from '../../src/dataset/geography.js';

const zips = { columns: ['zip', 'lat', 'lon', 'state', 'city'], rows: [['10001', 40.75, -73.99, 'NY', 'New York']] };
const exchanges = {
  source: { coCodes: '07/06/2026', areaCodes: '08/17/2026' },
  areaCodes: {
    columns: ['npa', 'state', 'lat', 'lon'],
    rows: [
      ['916', 'CA', 37.2, -119.6],
      ['624', 'NY', 42.1, -75.2],
    ],
  },
  rateCenters: {
    columns: ['state', 'rateCenter', 'name', 'lat', 'lon'],
    rows: [
      ['CA', 'SCRM MAIN', 'Sacramento', 38.58, -121.47],
      ['CA', 'XXXXXXXXXX', 'California', null, null],
    ],
  },
  exchanges: {
    columns: ['exchange', 'rateCenter', 'lineType'],
    rows: [
      [916445, 0, 'l'],
      [916201, 0, 'w'],
      [916999, 1, 'u'],
    ],
  },
};

t.test('the geography files become places: area codes, and exchanges at their rate center', async (t) => {
  t.same(parseGeography(zips, exchanges), {
    zips: [{ zip: '10001', lat: 40.75, lon: -73.99, state: 'NY', city: 'New York' }],
    prefixes: [
      {
        prefix: '916',
        lat: 37.2,
        lon: -119.6,
        state: 'CA',
        place: 'California',
        precision: 'areaCode',
        lineType: 'unknown',
      },
      {
        prefix: '624',
        lat: 42.1,
        lon: -75.2,
        state: 'NY',
        place: 'New York',
        precision: 'areaCode',
        lineType: 'unknown',
      },
      {
        prefix: '916445',
        lat: 38.58,
        lon: -121.47,
        state: 'CA',
        place: 'Sacramento',
        precision: 'exchange',
        lineType: 'wireline',
      },
      {
        prefix: '916201',
        lat: 38.58,
        lon: -121.47,
        state: 'CA',
        place: 'Sacramento',
        precision: 'exchange',
        lineType: 'wireless',
      },
      // A rate center nothing located: its exchange sits at its area code, placed by area code.
      {
        prefix: '916999',
        lat: 37.2,
        lon: -119.6,
        state: 'CA',
        place: 'California',
        precision: 'areaCode',
        lineType: 'unknown',
      },
    ],
  });
});

t.test('a damaged geography file is refused, naming the row', async (t) => {
  const withRows = (table: 'areaCodes' | 'rateCenters' | 'exchanges', rows: unknown[][]) => ({
    ...exchanges,
    [table]: { ...exchanges[table], rows },
  });
  const bad: Array<[unknown, unknown, RegExp]> = [
    [
      { ...zips, rows: [...zips.rows, ['1234', 40, -73, 'NY', 'x']] },
      exchanges,
      /row 1 is not \[zip, lat, lon, state, city\]/,
    ],
    [{ ...zips, rows: [['10001', 95, -73, 'NY', 'x']] }, exchanges, /row 0/],
    [{ ...zips, columns: ['zip', 'lat'] }, exchanges, /columns must be zip, lat, lon, state, city/],
    [zips, withRows('areaCodes', [['116', 'CA', 37, -119]]), /row 0 is not \[npa, state, lat, lon\]/],
    [zips, withRows('rateCenters', [['CA', 'X', 'X', 38, null]]), /row 0 is not \[state, rateCenter, name, lat, lon\]/],
    [zips, withRows('exchanges', [[916445, 0, 'x']]), /row 0 is not \[exchange, rateCenter, lineType\]/],
    [zips, withRows('exchanges', [[916445, 7, 'l']]), /exchanges row 0 \(916445\) names no rate center/],
    [zips, withRows('exchanges', [[415445, 0, 'l']]), /exchanges row 0 \(415445\) names no rate center or area code/],
  ];
  for (const [z, p, message] of bad) t.throws(() => parseGeography(z, p), message);
});
