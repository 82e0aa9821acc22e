import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { RoutingTable } from '../../../core/types.js';
import { pageHeaders } from '../../plugins/security.js';

const WIDGET_DIR = new URL('../../../widget/', import.meta.url);
const NATIONAL_PLACEHOLDER = '/*NATIONAL*/null';

/**
 * GET /widget.js, the embeddable zip widget, and GET /demo, a page embedding it. The script is
 * served with the national line written into it, so the widget can show it even when a lookup fails.
 */
export async function widgetRoutes(app: FastifyInstance): Promise<void> {
  const [source, demo] = await Promise.all([
    readFile(new URL('widget.js', WIDGET_DIR), 'utf8'),
    readFile(new URL('demo.html', WIDGET_DIR), 'utf8'),
  ]);
  if (!source.includes(NATIONAL_PLACEHOLDER))
    throw new Error(`widget.js lacks its ${NATIONAL_PLACEHOLDER} placeholder`);

  let built: { table: RoutingTable | null; body: string; etag: string } | undefined;
  const script = () => {
    const table = app.tables.table;
    if (built?.table !== table) {
      const body = source.replace(NATIONAL_PLACEHOLDER, () =>
        scriptLiteral(
          table ? { name: table.national.name, phone: table.national.phone, hours: table.national.hours } : null,
        ),
      );
      built = { table, body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"` };
    }
    return built;
  };

  app.get('/widget.js', async (request, reply) => {
    const { body, etag, table } = script();
    void reply
      .type('text/javascript; charset=utf-8')
      // Partner pages cache it for an hour; until tables load it carries no national line, so not at all.
      .header('cache-control', table ? 'public, max-age=3600' : 'no-store')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(body);
  });

  app.get('/demo', async (_request, reply) =>
    reply.headers(pageHeaders).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(demo),
  );
}

/** JSON as a JavaScript literal that is safe anywhere in a script. */
function scriptLiteral(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
