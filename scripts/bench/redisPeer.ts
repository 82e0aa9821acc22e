/**
 * A peer for npm run bench: the usual way to serve a lookup, asking Redis on every call. Each answer
 * is a GET of the request's path (npm run bench stores the service's own answers there first).
 *   PORT=… REDIS_URL=… node --import tsx scripts/bench/redisPeer.ts fastify|express
 */
import express from 'express';
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const port = Number(process.env.PORT ?? 0);
// As PEER_KEY in nationalTables.ts, where npm run bench stores the answers.
const key = (url: string) => `bench:peer:${url}`;
const JSON_TYPE = 'application/json; charset=utf-8';

if (process.argv[2] === 'express') {
  const app = express();
  app.get('/healthz', (_req, res) => void res.send('ok'));
  app.use((req, res, next) => {
    redis.get(key(req.originalUrl)).then((body) => {
      if (body === null) res.status(404).json({ error: 'not_found' });
      else res.type(JSON_TYPE).send(body);
    }, next);
  });
  const server = app.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => 'ok');
  app.get('/*', async (request, reply) => {
    const body = await redis.get(key(request.url));
    return body === null ? reply.code(404).send({ error: 'not_found' }) : reply.type(JSON_TYPE).send(body);
  });
  await app.listen({ port, host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}
