import t from 'tap';
import { configProblems } from '../helpers/config.js';
import { loadConfig } from '../../src/config.js';
import { connectionCap, openFileLimit, RESERVED_DESCRIPTORS, serverTimeouts } from '../../src/http/connectionLimits.js';
import { connectionLimitsFrom } from '../../src/settings.js';

const problems = configProblems;

t.test('connection limits default to sizes for telephony clients behind a load balancer', async (t) => {
  t.same(connectionLimitsFrom(loadConfig({})), {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 72_000,
    stalledConnectionTimeoutMs: 120_000,
    maxConnections: 4096,
  });
});

t.test('a bad connection setting names the variable and the range it accepts', async (t) => {
  const bad = { HEADERS_TIMEOUT_MS: '9s', REQUEST_TIMEOUT_MS: '50', KEEP_ALIVE_TIMEOUT_MS: '.5', MAX_CONNECTIONS: '0' };
  t.same(problems(bad), [
    'HEADERS_TIMEOUT_MS="9s": must be whole milliseconds from 100 to 300000',
    'REQUEST_TIMEOUT_MS="50": must be whole milliseconds from 100 to 3600000',
    'KEEP_ALIVE_TIMEOUT_MS=".5": must be whole milliseconds from 100 to 3600000',
    'MAX_CONNECTIONS="0": must be a whole number from 1 to 1000000',
  ]);
  t.same(problems({ STALLED_CONNECTION_TIMEOUT_MS: '' }), [
    'STALLED_CONNECTION_TIMEOUT_MS="": must be whole milliseconds from 100 to 3600000',
  ]);
});

t.test('the limits become Node server options, with deadlines checked often enough to keep to them', async (t) => {
  const limits = connectionLimitsFrom(loadConfig({}));
  t.same(serverTimeouts(limits), {
    keepAliveTimeout: 72_000,
    requestTimeout: 30_000,
    connectionTimeout: 120_000,
    http: { headersTimeout: 10_000, connectionsCheckingInterval: 1000 },
  });
  const quick = serverTimeouts({ ...limits, headersTimeoutMs: 300, requestTimeoutMs: 600 });
  t.equal(quick.http.connectionsCheckingInterval, 75, 'a quarter of the shorter deadline');
});

t.test('the connection cap leaves descriptors for the process under the open-file limit', async (t) => {
  t.equal(connectionCap(4096, 65_536), 4096, 'well under the limit: as configured');
  t.equal(connectionCap(4096, 4096), 4096 - RESERVED_DESCRIPTORS, 'at the limit: lowered');
  t.equal(connectionCap(4096, 1024), 1024 - RESERVED_DESCRIPTORS);
  t.equal(connectionCap(4096, 300), 150, 'a tiny limit: half of it');
  t.equal(connectionCap(4096, null), 4096, 'an unknown limit: as configured');
});

t.test('the open-file limit is read from /proc/self/limits', async (t) => {
  const limits = [
    'Limit                     Soft Limit           Hard Limit           Units',
    'Max open files            65536                65536                files',
  ].join('\n');
  t.equal(openFileLimit(limits), 65_536);
  t.equal(openFileLimit('Max open files            unlimited            unlimited            files\n'), null);
  t.equal(openFileLimit(null), null, 'no /proc (not Linux)');
  t.equal(typeof openFileLimit(), process.platform === 'linux' ? 'number' : 'object', 'this process');
});
