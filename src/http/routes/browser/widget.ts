import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { RoutingTable } from '../../../core/types.js';
import { pageHeaders } from '../../plugins/security.js';

const WIDGET_DIR = new URL('../../../widget/', import.meta.url);
const NATIONAL_PLACEHOLDER = '/*NATIONAL*/null';
const DEMO_NATIONAL_PLACEHOLDER = '<!--NATIONAL-->';

/**
 * GET /widget.js, the embeddable zip widget, and GET /demo, a page embedding it. The script is
 * served with the national line written into it, so the widget can show it even when a lookup fails,
 * and gzipped to browsers, which all take it.
 */
export async function widgetRoutes(app: FastifyInstance): Promise<void> {
  const [source, demo] = await Promise.all([
    readFile(new URL('widget.js', WIDGET_DIR), 'utf8'),
    readFile(new URL('demo.html', WIDGET_DIR), 'utf8'),
  ]);
  if (!source.includes(NATIONAL_PLACEHOLDER))
    throw new Error(`widget.js lacks its ${NATIONAL_PLACEHOLDER} placeholder`);
  if (!demo.includes(DEMO_NATIONAL_PLACEHOLDER))
    throw new Error(`demo.html lacks its ${DEMO_NATIONAL_PLACEHOLDER} placeholder`);

  const build = (table: RoutingTable | null) => {
    const national = table?.national ?? null;
    const body = source.replace(NATIONAL_PLACEHOLDER, () =>
      scriptLiteral(national ? { name: national.name, phone: national.phone, hours: national.hours } : null),
    );
    const hash = createHash('sha1').update(body).digest('base64url').slice(0, 16);
    return {
      table,
      body,
      gzipped: gzipSync(body),
      etag: `"${hash}"`,
      gzippedEtag: `"${hash}-gz"`,
      // The demo page's fallback names the national line too, as a partner's would.
      demo: demo.replace(DEMO_NATIONAL_PLACEHOLDER, () =>
        national && /^\+1\d{10}$/.test(national.phone) ? ` at ${telLink(national.phone)}` : '',
      ),
    };
  };
  let built: ReturnType<typeof build> | undefined;
  const current = () => {
    if (built?.table !== app.tables.table) built = build(app.tables.table);
    return built;
  };

  app.get('/widget.js', async (request, reply) => {
    const widget = current();
    const gzip = acceptsGzip(request.headers['accept-encoding']);
    const etag = gzip ? widget.gzippedEtag : widget.etag;
    void reply
      .type('text/javascript; charset=utf-8')
      // Partner pages cache it for an hour; until tables load it carries no national line, so not at all.
      .header('cache-control', widget.table ? 'public, max-age=3600' : 'no-store')
      .header('cross-origin-resource-policy', 'cross-origin')
      // The widget asks for it (HEAD) from the partner's page before it replaces the partner's fallback.
      .header('access-control-allow-origin', '*')
      .header('vary', 'accept-encoding')
      .header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return gzip ? reply.header('content-encoding', 'gzip').send(widget.gzipped) : reply.send(widget.body);
  });

  app.get('/demo', async (_request, reply) =>
    reply
      .headers(pageHeaders)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(current().demo),
  );
}

/** +12125550100 as a tel: link reading (212) 555-0100. */
function telLink(phone: string): string {
  return `<a href="tel:${phone}">(${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}</a>`;
}

/** Whether an Accept-Encoding header takes gzip (not refused with q=0). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((item) => {
    const [name, ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    return name === 'gzip' && !params.some((param) => /^q=0(\.0*)?$/.test(param));
  });
}

/** JSON as a JavaScript literal that is safe anywhere in a script. */
function scriptLiteral(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
