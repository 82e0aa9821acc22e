import t from 'tap';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { auth, sampleCsv, startInstance } from '../helpers/service.js';

t.test('in production, activating a sample version is refused up front and the active version stays', async (t) => {
  const redisServer = await startRedis();
  t.teardown(() => redisServer.stop());
  const namespace = testNamespace();
  const development = await startInstance(redisServer.url, { namespace });
  t.teardown(() => development.close());
  const seeded = development.tables.table!.version;

  // A table with numbers outside the fictional 555-01XX range and no sample mark: not sample data.
  const notSample = sampleCsv().replace(/55501(\d\d)\b/g, '55502$1');
  const uploaded = await development.inject({
    method: 'POST',
    url: '/v1/admin/datasets?name=real&activate=true',
    headers: { ...auth(), 'content-type': 'text/csv' },
    payload: notSample,
  });
  t.equal(uploaded.statusCode, 201);
  t.match(uploaded.json(), { sample: false, activated: true });
  const real = uploaded.json().version as string;

  const production = await startInstance(redisServer.url, { namespace, env: { NODE_ENV: 'production' } });
  t.teardown(() => production.close());
  t.equal(production.tables.table!.version, real, 'production serves the real table');

  const refused = await production.inject({
    method: 'POST',
    url: `/v1/admin/datasets/${seeded}/activate`,
    headers: auth(),
  });
  t.equal(refused.statusCode, 409);
  t.equal(refused.json().error.code, 'refused');
  t.match(refused.json().error.message, /marked sample/);
  t.equal((await production.inject('/readyz')).json().redis.activeVersion, real, 'the pointer did not move');
  t.equal(production.tables.table!.version, real);
});
