import t from 'tap';
import { loadGeography } from '../../src/dataset/loadEmbeddedDataset.js';
import { PackedGeography } from '../../src/dataset/packedGeography.js';
import { miniGeography } from '../helpers/miniWorld.js';

t.test('packed and unpacked, the geography of data/ is the same, field for field', async (t) => {
  const geography = await loadGeography('data');
  const packed = PackedGeography.pack(geography);
  t.ok(
    packed.unpack().zips.every((z, i) => JSON.stringify(z) === JSON.stringify(geography.zips[i])),
    'zips, with leading zeros and exact coordinates',
  );
  t.ok(
    packed.unpack().prefixes.every((p, i) => JSON.stringify(p) === JSON.stringify(geography.prefixes[i])),
    'prefixes',
  );
  t.equal(packed.unpack().zips.length, geography.zips.length);
  t.equal(packed.unpack().prefixes.length, geography.prefixes.length);
  t.ok(
    geography.zips.every((z) => JSON.stringify(packed.zips.get(z.zip)) === JSON.stringify(z)),
    'every zip is found as it was',
  );
});

t.test('each unpack is a fresh copy; unknown zips are not found', async (t) => {
  const packed = PackedGeography.pack(miniGeography);
  t.same(packed.unpack(), miniGeography);
  t.not(packed.unpack().zips[0], packed.unpack().zips[0], 'a compile may not share objects with the next');
  t.same(packed.zips.get('07102'), { zip: '07102', lat: 40.7357, lon: -74.1724, state: 'NJ', city: 'Newark' });
  for (const zip of ['10003', '00000', '1000', '100010', 'abcde', ''])
    t.equal(packed.zips.get(zip), undefined, JSON.stringify(zip));
});
