import t from 'tap';
import { parsePhone, prefix6 } from '../../src/core/phone.js';
import { classifyAreaCode } from '../../src/core/areaCode.js';

t.test('the formats telephony systems send all reduce to the same national number', async (t) => {
  for (const input of [
    '+14155552671',
    '14155552671',
    '4155552671',
    '(415) 555-2671',
    '1-415-555-2671',
    '+1 415 555 2671',
    'tel:+14155552671',
    'tel:+1-415-555-2671;ext=12',
    '+1 415 555 2671 ext. 5',
    '415.555.2671',
    ' +14155552671 ',
  ]) {
    t.same(parsePhone(input), { kind: 'nanp', national: 4155552671 }, JSON.stringify(input));
  }
});

t.test('withheld caller ID in every spelling carriers and Twilio use', async (t) => {
  for (const input of [
    '',
    'Anonymous',
    'anonymous',
    'RESTRICTED',
    'Unknown',
    'Private',
    'Unavailable',
    '+266696687',
    '+7378742833',
    '+8656696',
    '+86282452253',
  ]) {
    t.same(parsePhone(input), { kind: 'withheld' }, JSON.stringify(input));
  }
});

t.test('numbers outside NANP are recognised as such', async (t) => {
  t.same(parsePhone('+442071838750'), { kind: 'outsideNanp' });
  t.same(parsePhone('+52 55 1234 5678'), { kind: 'outsideNanp' });
});

t.test('what is not a North American number is invalid, and the message never repeats it', async (t) => {
  for (const input of ['hello', '12345', '+1 012 555 2671', '+1 415 055 2671', 'x'.repeat(65)]) {
    const result = parsePhone(input);
    t.equal(result.kind, 'invalid', JSON.stringify(input));
    if (result.kind === 'invalid') t.notMatch(result.message, /\d{4}/);
  }
});

t.test('prefix6 keeps only the area code and exchange', async (t) => {
  t.equal(prefix6(2122267834), '212226');
});

t.test('area codes that cannot be placed on a map', async (t) => {
  t.equal(classifyAreaCode(212), 'geographic');
  t.equal(classifyAreaCode(787), 'geographic');
  for (const tollFree of [800, 833, 844, 855, 866, 877, 888])
    t.equal(classifyAreaCode(tollFree), 'tollFree', String(tollFree));
  for (const n11 of [211, 311, 411, 511, 611, 711, 811, 911])
    t.equal(classifyAreaCode(n11), 'serviceCode', String(n11));
  for (const other of [500, 533, 600, 700, 900, 456, 710])
    t.equal(classifyAreaCode(other), 'nonGeographic', String(other));
});
