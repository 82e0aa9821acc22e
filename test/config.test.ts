import t from 'tap';
import { configProblems } from './helpers/config.js';
import { loadConfig } from '../src/config.js';

const problems = configProblems;

t.test('production settings have safe defaults', async (t) => {
  const config = loadConfig({});
  t.match(config, {
    TRUST_PROXY: false,
    RATE_LIMIT_ENABLED: true,
    RATE_LIMIT_WINDOW_SECONDS: 60,
    TELEPHONY_API_KEYS: [],
    BODY_LIMIT_BYTES: 65536,
    SHUTDOWN_TIMEOUT_MS: 10000,
    ALLOW_SAMPLE_DATA_IN_PRODUCTION: false,
    ACCESS_LOG_ROUTINE: 'summary',
  });
});

t.test('WIRELESS_ZIP_OFFER is on unless turned off', async (t) => {
  t.equal(loadConfig({}).WIRELESS_ZIP_OFFER, true);
  t.equal(loadConfig({ WIRELESS_ZIP_OFFER: 'false' }).WIRELESS_ZIP_OFFER, false);
  t.same(problems({ WIRELESS_ZIP_OFFER: 'off' }), ['WIRELESS_ZIP_OFFER="off": must be true or false']);
});

t.test('NATIONAL_LINE is an E.164 North American number, never a fictional one in production', async (t) => {
  t.equal(loadConfig({}).NATIONAL_LINE, undefined);
  t.equal(loadConfig({ NATIONAL_LINE: '+18002738255' }).NATIONAL_LINE, '+18002738255');
  t.same(problems({ NATIONAL_LINE: '18002738255' }), [
    'NATIONAL_LINE="18002738255": must be the national line in E.164: +1 and 10 digits',
  ]);
  t.equal(loadConfig({ NATIONAL_LINE: '+18005550100' }).NATIONAL_LINE, '+18005550100', 'sample numbers in development');
  t.same(problems({ NODE_ENV: 'production', NATIONAL_LINE: '+18005550100' }), [
    'NATIONAL_LINE="+18005550100": is a fictional 555-01XX number, refused with NODE_ENV=production',
  ]);
  const test = { NODE_ENV: 'production', NATIONAL_LINE: '+18005550100', ALLOW_SAMPLE_DATA_IN_PRODUCTION: 'true' };
  t.equal(loadConfig(test).NATIONAL_LINE, '+18005550100', 'unless sample data is allowed there');
});

t.test('TRUST_PROXY takes true/false, a hop count, or proxy addresses', async (t) => {
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY, true);
  t.equal(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY, 2);
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY, ['10.0.0.0/8', '127.0.0.1']);
  t.same(problems({ TRUST_PROXY: 'yes please' }), [
    'TRUST_PROXY="yes please": must be true, false, a number of proxy hops, ' +
      'or a comma-separated list of proxy addresses/CIDRs',
  ]);
});

t.test('TELEPHONY_API_KEYS are label:key pairs, and a bad value is reported without printing it', async (t) => {
  t.same(loadConfig({ TELEPHONY_API_KEYS: 'acme:0123456789abcdef, other:fedcba9876543210' }).TELEPHONY_API_KEYS, [
    { label: 'acme', key: '0123456789abcdef' },
    { label: 'other', key: 'fedcba9876543210' },
  ]);
  const reported = problems({ TELEPHONY_API_KEYS: 'acme:tooshort' });
  t.equal(reported.length, 1);
  t.match(reported[0], /^TELEPHONY_API_KEYS: must be label:key,label:key with distinct labels/);
  t.notMatch(reported[0], /tooshort/, 'the secret is not echoed');
  for (const bad of [
    '0123456789abcdef0',
    'a:0123456789abcdef,a:fedcba9876543210',
    'a:0123456789abcdef,b:0123456789abcdef',
  ]) {
    t.equal(
      problems({ TELEPHONY_API_KEYS: bad }).length,
      1,
      'a key without a label, a repeated label or a repeated key is refused',
    );
  }
});

t.test('TRUST_PROXY takes addresses and CIDRs, not arbitrary words', async (t) => {
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, ::1' }).TRUST_PROXY, ['10.0.0.0/8', '::1']);
  t.equal(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY, 2);
  t.equal(problems({ TRUST_PROXY: 'deadbeef' }).length, 1);
});

t.test('a bad value names the variable and what it accepts, for every bad value at once', async (t) => {
  t.same(
    problems({
      PORT: 'abc',
      RATE_LIMIT_PUBLIC_PER_IP: '0',
      SHUTDOWN_TIMEOUT_MS: 'soon',
      RATE_LIMIT_ENABLED: 'maybe',
      ACCESS_LOG_ROUTINE: 'all',
    }),
    [
      'PORT="abc": must be a port number from 1 to 65535',
      'ACCESS_LOG_ROUTINE="all": must be summary (routine route answers counted in a line a minute) ' +
        'or each (a line per answer)',
      'RATE_LIMIT_ENABLED="maybe": must be true or false',
      'RATE_LIMIT_PUBLIC_PER_IP="0": must be a whole number of at least 1',
      'SHUTDOWN_TIMEOUT_MS="soon": must be a whole number of at least 1',
    ],
  );
});
