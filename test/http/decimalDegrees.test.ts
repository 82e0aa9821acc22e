import t from 'tap';
import { parseDecimalDegrees } from '../../src/http/decimalDegrees.js';

t.test('a coordinate reads as the very double Number() gives, sign and all', async (t) => {
  const texts = [
    '40.7128',
    '-74.0060',
    '0',
    '-0',
    '+12.5',
    '90',
    '-180',
    '40.',
    '.5',
    '-.5',
    '0040.10',
    '12.345678901234',
    '1.00000000000000000001',
    '123456789012345678',
  ];
  for (const text of texts) t.ok(Object.is(parseDecimalDegrees(text), Number(text)), text);
});

t.test('random coordinates with up to 15 significant digits read exactly', async (t) => {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let mismatches = 0;
  for (let i = 0; i < 100_000; i++) {
    const decimals = Math.floor(random() * 14);
    const text = ((random() - 0.5) * 360).toFixed(decimals);
    if (!Object.is(parseDecimalDegrees(text), Number(text))) mismatches++;
  }
  t.equal(mismatches, 0);
});

t.test('exponent forms, as a tiny JSON number becomes text, read as Number() reads them', async (t) => {
  for (const text of ['1e-7', '-4.07E1', '4e+1', '.5e1']) t.equal(parseDecimalDegrees(text), Number(text), text);
});

t.test('text that is not a plain decimal number is NaN', async (t) => {
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
    t.ok(Number.isNaN(parseDecimalDegrees(text)), JSON.stringify(text));
  }
});
