import t from 'tap';
import { shippedApp } from '../helpers/app.js';

t.test('no caller number appears in any log line or answer, in any format it was sent', async (t) => {
  const { app, logs } = await shippedApp();
  t.teardown(() => app.close());
  const numbers = Array.from({ length: 60 }, (_, i) => `${[212, 415, 907, 808, 787, 312, 617, 202][i % 8]}${String(2267800 + i * 131)}`);
  for (const [i, n] of numbers.entries()) {
    const formats = [`+1${n}`, `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`, `tel:+1${n};ext=9`];
    const phone = formats[i % formats.length]!;
    const get = await app.inject({ method: 'GET', url: `/v1/route?phone=${encodeURIComponent(phone)}` });
    const post = await app.inject({ method: 'POST', url: '/v1/route', payload: { phone } });
    for (const res of [get, post]) {
      t.equal(res.statusCode, 200);
      t.notOk(res.body.includes(n.slice(3)), 'the answer does not echo the number');
    }
  }
  const bad = await app.inject({ method: 'GET', url: `/v1/route?phone=${encodeURIComponent('+1 212 555 0199 x')}&zip=1` });
  t.equal(bad.statusCode, 400);
  t.ok(logs.lines.length >= 120, 'requests were logged');
  for (const n of numbers) {
    t.notOk(logs.text.includes(n.slice(3)), `line number of ${n.slice(0, 6)}… never logged`);
    t.notOk(logs.text.replace(/\D/g, ' ').includes(n.slice(6)) && logs.text.includes(n), 'not even the full 10 digits');
  }
  t.notOk(logs.text.includes('5550199'), 'an invalid request is not logged with its number either');
  t.match(logs.text, /"callerPrefix":"212226"/, 'at most the 6-digit prefix is logged');
});
