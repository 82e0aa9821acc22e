import t from 'tap';
import Fastify from 'fastify';
import { shippedTable } from '../helpers/app.js';
import { openCentersAt, route, type RouteDecision, type RouteQuery } from '../../src/core/route.js';
import { TimeZoneClock } from '../../src/core/timeZoneClock.js';
import { degradedAnswer, toRouteAnswer, type RouteAnswer } from '../../src/http/answer/routeAnswer.js';
import { routeAnswerJson } from '../../src/http/answer/routeAnswerJson.js';
import { destinationSchema, routeAnswerSchema } from '../../src/http/schemas.js';

/** What Fastify's compiled serializer (fast-json-stringify, from the route's response schema) writes. */
async function schemaSerializer() {
  const app = Fastify();
  app.addSchema(destinationSchema);
  app.addSchema(routeAnswerSchema);
  let next: RouteAnswer | undefined;
  app.get('/', { schema: { response: { 200: { $ref: 'RouteAnswer#' } } } }, async () => next);
  await app.ready();
  return {
    serialize: async (answer: RouteAnswer) => {
      next = answer;
      return (await app.inject('/')).body;
    },
    close: () => app.close(),
  };
}

t.test('a route answer is written exactly as its response schema would serialize it', async (t) => {
  const table = await shippedTable();
  const reference = await schemaSerializer();
  t.teardown(reference.close);
  const zones = new TimeZoneClock();
  // A weekday afternoon, a Sunday night, a Saturday night: centers with hours open and close.
  const instants = [Date.UTC(2026, 0, 14, 15, 0), Date.UTC(2026, 0, 18, 7, 30), Date.UTC(2026, 0, 17, 3, 0)];
  const queries: RouteQuery[] = [
    { kind: 'phone', phone: '+12122267834' },
    { kind: 'phone', phone: '(787) 555-1234', lang: 'es' },
    { kind: 'phone', phone: 'anonymous' },
    { kind: 'phone', phone: '+18005550199' },
    { kind: 'zip', zip: '99999' },
    { kind: 'location', lat: 61.2, lon: -149.9 },
    { kind: 'location', lat: 0, lon: 0 },
  ];
  for (let zip = 501; zip < 100_000; zip += 997)
    queries.push({ kind: 'zip', zip: String(zip).padStart(5, '0'), lang: zip % 2 ? 'es' : undefined });

  let compared = 0;
  const differing: string[] = [];
  for (const nowMs of instants) {
    for (const query of queries) {
      const decision = route(table, query, openCentersAt(table, { nowMs, zones })) as RouteDecision;
      const answer = toRouteAnswer(decision);
      if (routeAnswerJson(table, answer) !== (await reference.serialize(answer))) differing.push(JSON.stringify(query));
      compared++;
    }
  }
  const degraded = degradedAnswer(table);
  if (routeAnswerJson(table, degraded) !== (await reference.serialize(degraded))) differing.push('degraded');
  t.same(differing, [], `all ${compared + 1} answers identical`);
  t.ok(compared > 300, 'a spread of places, languages and instants');
});

t.test('a destination that is not in the table is written from its own fields', async (t) => {
  const table = await shippedTable();
  const reference = await schemaSerializer();
  t.teardown(reference.close);
  const answer = degradedAnswer(table);
  const stranger = {
    ...answer.destinations[0]!,
    id: 'not-in-table',
    name: 'Quote " and \\ backslash',
    phone: '+18005550123',
  };
  const odd: RouteAnswer = { ...answer, destinations: [stranger, ...answer.destinations], degraded: false };
  t.equal(routeAnswerJson(table, odd), await reference.serialize(odd));
});

t.test(
  "an answer made from a decision carries nothing of the caller's number: not in its keys, not in its JSON",
  async (t) => {
    const table = await shippedTable();
    const decision = route(
      table,
      { kind: 'phone', phone: '+12122267834' },
      openCentersAt(table, { nowMs: Date.UTC(2026, 0, 14, 15, 0), zones: new TimeZoneClock() }),
    ) as RouteDecision;
    t.equal(decision.callerPrefix, '212226', 'the decision has it, for logs');
    const answer = toRouteAnswer(decision);
    t.notOk(Object.keys(answer).includes('callerPrefix'));
    const text = JSON.stringify(answer);
    t.notMatch(text, /212226|2122267834|callerPrefix/);
    t.same(JSON.parse(text).destinations.length, answer.destinations.length);
  },
);
