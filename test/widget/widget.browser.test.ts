import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, watchErrors } from '../helpers/browser.js';
import { shippedApp } from '../helpers/app.js';

/**
 * The widget in a real browser (Debian's chromium, driven by playwright-core): on the service's demo
 * page, and embedded cross-origin on a partner's page, by keyboard alone; over the partner's fallback,
 * with the service down as the page loads; its hours in English and Spanish at fixed instants.
 */

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A partner's fallback inside the target, as the docs ask: a number to call if the widget cannot show. */
const FALLBACK = 'If this box does not load, call the hotline at 800-555-0199.';

/**
 * A partner's page embedding the widget with one script tag, over its fallback: /es with data-lang="es",
 * /bare with an empty target, ?src= loads the script from there instead.
 */
function partnerSite(scriptSrc: () => string): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://partner');
    const src = url.searchParams.get('src') ?? scriptSrc();
    const fallback = url.pathname === '/bare' ? '' : `<p class="fallback">${FALLBACK}</p>`;
    const lang = url.pathname === '/es' ? ' data-lang="es"' : '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      '<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">' +
        '<title>Partner</title><link rel="icon" href="data:,"></head>\n' +
        `<body><h1>A partner's page</h1><div id="help">${fallback}</div>` +
        `<script src="${src}" data-target="#help"${lang} async></script></body></html>`,
    );
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const origin = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return Number(new URL(origin).port);
}

/** Tab from the top of the page until the zip box has focus, as a keyboard user would. */
async function tabToZipBox(page: Page): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'zip')) return;
  }
  throw new Error('the zip box is not reachable by Tab');
}

async function statusText(page: Page): Promise<string> {
  return ((await page.getByRole('status').textContent()) ?? '').replace(/\s+/g, ' ');
}

/** The widget is on the page (it waits for the service to answer before replacing a fallback). */
async function widgetShown(page: Page): Promise<void> {
  await page.locator('.crw').waitFor();
}

/** Look up a zip by keyboard and wait for the answer. */
async function lookUp(page: Page, zip: string): Promise<string> {
  await widgetShown(page);
  await tabToZipBox(page);
  await page.keyboard.type(zip);
  await page.keyboard.press('Enter');
  await page.locator('.crw-o .crw-name, .crw-o .crw-e').waitFor();
  return statusText(page);
}

t.test('zip widget in headless Chromium', async (t) => {
  await mkdir(ARTIFACTS, { recursive: true });
  let appOrigin = '';
  const allowed = partnerSite(() => `${appOrigin}/widget.js`);
  const refused = partnerSite(() => `${appOrigin}/widget.js`);
  const allowedOrigin = await listen(allowed);
  const refusedOrigin = await listen(refused);
  t.teardown(() => new Promise<void>((resolve) => allowed.close(() => resolve())));
  t.teardown(() => new Promise<void>((resolve) => refused.close(() => resolve())));

  // The service's clock, which decides each center's `open`; pages get the same instant on theirs.
  let serverNow = Date.UTC(2026, 0, 14, 15, 0);
  const { app, tables } = await shippedApp({
    now: () => serverNow,
    callers: {
      dialTimeoutSeconds: 20,
      defaultLanguage: 'en',
      wirelessZipOffer: true,
      widgetAllowedOrigins: [allowedOrigin],
    },
  });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  appOrigin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const national = tables.table!.national;

  const browser: Browser = await launchChromium();
  t.teardown(() => browser.close());

  t.test(
    'on the demo page, by keyboard: type a zip, press Enter, hear the local center and see the national line',
    async (t) => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
      const errors = watchErrors(page);
      await page.goto(`${appOrigin}/demo`);
      await widgetShown(page);

      const status = page.getByRole('status');
      t.equal(await status.getAttribute('aria-live'), 'polite', 'results are announced politely');
      t.equal(await statusText(page), '', 'nothing announced before a search');
      const box = page.getByLabel('Find a crisis center near you. Enter your ZIP code:');
      t.equal(await box.count(), 1, 'the zip box has a label');
      t.equal(
        await page.locator('.crw-n a').getAttribute('href'),
        `tel:${national.phone}`,
        'the national line is shown before any search',
      );

      await tabToZipBox(page);
      await page.keyboard.type('10001');
      await page.keyboard.press('Enter');
      await status.getByText('Sample Center New York (fictional)').waitFor();

      const text = await statusText(page);
      t.match(text, /Your local center/);
      t.match(text, /Call \(212\) 555-0100/);
      t.match(text, /Open 24 hours, every day/);
      t.notMatch(text, /24\/7/, 'no raw opening-hours syntax');
      t.equal(await status.locator('a').getAttribute('href'), 'tel:+12125550100', 'click-to-call the center');
      t.equal(
        await page.locator('.crw-n a').getAttribute('href'),
        `tel:${national.phone}`,
        'and always the national line',
      );
      t.match((await page.locator('.crw-n').textContent()) ?? '', /National hotline, open 24\/7: \(800\) 555-0100/);
      t.equal(await page.locator(`a[href="tel:${national.phone}"]`).count(), 1, "the demo's fallback gave way");
      await page.screenshot({ path: `${ARTIFACTS}/widget.png`, fullPage: true });
      t.same(errors, [], 'no console errors');
      await page.close();
    },
  );

  t.test('a bad zip gets a clear message, the box is marked invalid and keeps focus', async (t) => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${appOrigin}/demo`);
    await widgetShown(page);
    await tabToZipBox(page);
    await page.keyboard.type('123');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Please enter a 5-digit ZIP code').waitFor();
    t.equal(await page.getByLabel(/Enter your ZIP code/).getAttribute('aria-invalid'), 'true');
    t.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).name), 'zip');
    // Corrected, and submitted with the button, still by keyboard.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('99501');
    await page.keyboard.press('Tab');
    t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Find help', 'Tab reaches the button');
    await page.keyboard.press('Space');
    await page.getByRole('status').getByText('Sample Center Anchorage (fictional)').waitFor();
    t.equal(await page.getByLabel(/Enter your ZIP code/).getAttribute('aria-invalid'), null);
    t.same(errors, []);
    await page.close();
  });

  t.test('on a phone-sized screen it fits without sideways scrolling', async (t) => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 667 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${appOrigin}/demo`);
    await widgetShown(page);
    await tabToZipBox(page);
    await page.keyboard.type('10001');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Sample Center New York (fictional)').waitFor();
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      widget: document.querySelector('.crw')!.getBoundingClientRect().right,
    }));
    t.ok(widths.page <= 375, `page is ${widths.page}px wide`);
    t.ok(widths.widget <= 375, `widget ends at ${widths.widget}px`);
    const button = await page.getByRole('button', { name: 'Find help' }).boundingBox();
    t.ok(button && button.height >= 44, 'a thumb-sized button');
    await page.screenshot({ path: `${ARTIFACTS}/widget-phone.png`, fullPage: true });
    t.same(errors, []);
    await context.close();
  });

  t.test("embedded on an allowed partner's page, it looks up across origins", async (t) => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(allowedOrigin);
    await widgetShown(page);
    await tabToZipBox(page);
    await page.keyboard.type('10001');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Sample Center New York (fictional)').waitFor();
    t.same(errors, []);
    await page.close();
  });

  t.test(
    'when the lookup fails (here: an origin CORS does not allow), it falls back to the national line',
    async (t) => {
      const page = await browser.newPage();
      await page.goto(refusedOrigin);
      await widgetShown(page);
      await tabToZipBox(page);
      await page.keyboard.type('10001');
      await page.keyboard.press('Enter');
      await page.getByRole('status').getByText('We could not look up centers right now').waitFor();
      t.equal(
        await page.getByRole('status').locator('a').getAttribute('href'),
        `tel:${national.phone}`,
        'the national line, to call now',
      );
      await page.screenshot({ path: `${ARTIFACTS}/widget-lookup-failed.png` });
      await page.close();
    },
  );

  t.test("over a partner's fallback: the widget replaces it once the service answers, never both", async (t) => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(allowedOrigin);
    await widgetShown(page);
    const help = page.locator('#help');
    t.notMatch((await help.textContent()) ?? '', FALLBACK, 'the fallback is gone');
    t.equal(await help.evaluate((target) => target.children.length), 1, 'the widget alone in the target');
    t.equal(await help.getAttribute('data-widget'), null);
    t.equal(await page.locator(`a[href="tel:${national.phone}"]`).count(), 1, 'the national line once');
    await page.screenshot({ path: `${ARTIFACTS}/widget-partner.png` });
    await page.goto(`${allowedOrigin}/bare`);
    await widgetShown(page);
    t.pass('an empty target gets the widget too');
    t.same(errors, []);
    await page.close();
  });

  t.test('the service down as the page loads, the script from a cache: the fallback stays', async (t) => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const script = (await app.inject('/widget.js')).body;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The script comes as from the browser's cache; anything else goes to the closed port.
    await page.route(`${down}/**`, (route) =>
      route.request().resourceType() === 'script'
        ? route.fulfill({ contentType: 'text/javascript', body: script })
        : route.continue(),
    );
    const asked = page.waitForEvent('requestfailed', (request) => request.method() === 'HEAD');
    await page.goto(`${allowedOrigin}/?src=${encodeURIComponent(`${down}/widget.js`)}`);
    t.equal((await asked).url(), `${down}/widget.js`, 'the widget asked whether the service is up');
    await page.locator('#help[data-widget="unavailable"]').waitFor({ state: 'attached' });
    t.equal(await page.locator('#help .fallback').textContent(), FALLBACK, 'the fallback stays');
    t.equal(await page.locator('.crw').count(), 0, 'no widget that cannot look anything up');
    await page.screenshot({ path: `${ARTIFACTS}/widget-service-down.png` });
    t.same(errors, [], 'no uncaught errors');
    await page.close();
  });

  t.test('a proxy answering 503 for the service at load: the fallback stays', async (t) => {
    const page = await browser.newPage();
    await page.route(`${appOrigin}/widget.js`, (route) =>
      route.request().method() === 'HEAD'
        ? route.fulfill({ status: 503, headers: { 'access-control-allow-origin': '*' } })
        : route.continue(),
    );
    await page.goto(allowedOrigin);
    await page.locator('#help[data-widget="unavailable"]').waitFor({ state: 'attached' });
    t.equal(await page.locator('#help .fallback').textContent(), FALLBACK);
    t.equal(await page.locator('.crw').count(), 0);
    await page.close();
  });

  t.test('the script itself unreachable: the fallback stays', async (t) => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const page = await browser.newPage();
    const failed = page.waitForEvent('requestfailed', (request) => request.url() === `${down}/widget.js`);
    await page.goto(`${allowedOrigin}/?src=${encodeURIComponent(`${down}/widget.js`)}`);
    await failed;
    t.equal(await page.locator('#help .fallback').textContent(), FALLBACK);
    t.ok(await page.locator('#help .fallback').isVisible());
    await page.screenshot({ path: `${ARTIFACTS}/widget-script-down.png` });
    await page.close();
  });

  t.test('the service down after the widget shows: a lookup gives the national line', async (t) => {
    const page = await browser.newPage();
    await page.goto(allowedOrigin);
    await widgetShown(page);
    await page.route(`${appOrigin}/v1/zips/**`, (route) => route.abort('connectionrefused'));
    t.match(await lookUp(page, '10001'), 'We could not look up centers right now. Please call the national hotline.');
    t.equal(await page.getByRole('status').locator('a').getAttribute('href'), `tel:${national.phone}`);
    await page.close();
  });

  t.test('hours read naturally in English and Spanish, by the page clock', async (t) => {
    serverNow = Date.UTC(2026, 0, 14, 15, 0); // Wednesday, 10 am in New York
    t.teardown(() => {
      serverNow = Date.UTC(2026, 0, 14, 15, 0);
    });
    const cases: [path: string, expected: string][] = [
      ['/', 'Open now, until 11 pm (Eastern Time)'],
      ['/es', 'Abierto ahora, hasta las 23:00 (hora oriental)'],
    ];
    for (const [path, expected] of cases) {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.clock.setFixedTime(serverNow);
      await page.goto(`${allowedOrigin}${path}`);
      const text = await lookUp(page, '11436'); // ny-jamaica, Mo-Su 07:00-23:00
      t.match(text, 'Sample Center Jamaica (fictional)');
      t.match(text, expected, `${path}: ${expected}`);
      t.notMatch(text, /Mo-Su|07:00-23:00/, 'no raw opening-hours syntax');
      await page.screenshot({ path: `${ARTIFACTS}/widget-hours-${path === '/es' ? 'es' : 'en'}.png` });
      t.same(errors, []);
      await page.close();
    }
  });

  t.test('hours: closed, overnight, weekends, midnight, time zones, a clock that disagrees', async (t) => {
    const real = (await app.inject('/v1/zips/12305')).json<{ destinations: Record<string, unknown>[] }>();
    // [instant, the center's hours, zone, open by the service, English, Spanish]
    const cases: [Date, string, string, boolean, string, string][] = [
      [
        new Date('2026-01-17T10:00:00-05:00'), // Saturday
        'Mo-Fr 09:00-17:00',
        'America/New_York',
        false,
        'Closed now, opens 9 am Monday (Eastern Time)',
        'Cerrado ahora, abre el lunes a las 9:00 (hora oriental)',
      ],
      [
        new Date('2026-01-16T20:00:00-08:00'), // Friday evening, open through the weekend
        'Mo-Fr 17:00-08:00; Sa,Su 00:00-24:00',
        'America/Los_Angeles',
        true,
        'Open now, until midnight Sunday (Pacific Time)',
        'Abierto ahora, hasta el domingo a la medianoche (hora del Pacífico)',
      ],
      [
        new Date('2026-01-18T23:00:00-05:00'), // Sunday, into Monday across the week's end
        'Fr-Su 18:00-02:00',
        'America/New_York',
        true,
        'Open now, until 2 am (Eastern Time)',
        'Abierto ahora, hasta las 2:00 (hora oriental)',
      ],
      [
        new Date('2026-01-19T03:00:00-05:00'), // Monday
        'Fr-Su 18:00-02:00',
        'America/New_York',
        false,
        'Closed now, opens 6 pm Friday (Eastern Time)',
        'Cerrado ahora, abre el viernes a las 18:00 (hora oriental)',
      ],
      [
        new Date('2026-01-14T09:00:00-05:00'),
        'Mo-Fr  08:00-12:00,13:00-20:00 ; Sa 10:00-14:00',
        'America/New_York',
        true,
        'Open now, until noon (Eastern Time)',
        'Abierto ahora, hasta las 12:00 (hora oriental)',
      ],
      [
        new Date('2026-01-14T23:30:00-05:00'),
        'Mo-Su 18:00-02:00',
        'America/New_York',
        true,
        'Open now, until 2 am (Eastern Time)',
        'Abierto ahora, hasta las 2:00 (hora oriental)',
      ],
      [
        new Date('2026-01-14T03:00:00-05:00'),
        'Mo-Su 18:00-02:00',
        'America/New_York',
        false,
        'Closed now, opens 6 pm today (Eastern Time)',
        'Cerrado ahora, abre hoy a las 18:00 (hora oriental)',
      ],
      [
        new Date('2026-01-13T22:00:00-06:00'), // Tuesday night
        'Mo,We,Fr 10:00-18:00; Tu,Th 12:00-21:00',
        'America/Chicago',
        false,
        'Closed now, opens 10 am tomorrow (Central Time)',
        'Cerrado ahora, abre mañana a las 10:00 (hora central)',
      ],
      [
        new Date('2026-01-14T17:00:00-05:00'),
        'Mo-Fr 16:00-24:00; Sa,Su 12:00-24:00',
        'America/New_York',
        true,
        'Open now, until midnight (Eastern Time)',
        'Abierto ahora, hasta la medianoche (hora oriental)',
      ],
      [
        new Date('2026-01-14T20:30:00-05:00'),
        'Mo-Su 18:00-01:00',
        'America/New_York',
        true,
        'Open now, until 1 am (Eastern Time)',
        'Abierto ahora, hasta la 1:00 (hora oriental)',
      ],
      [
        new Date('2026-01-14T10:00:00-05:00'), // the page's clock says open, the service says closed
        'Mo-Fr 09:00-17:00',
        'America/New_York',
        false,
        'Closed now',
        'Cerrado ahora',
      ],
    ];
    // One page per language; each case sets the page's clock and the answer, then looks up again.
    for (const [path, column] of [
      ['/', 4],
      ['/es', 5],
    ] as const) {
      let answer = real;
      const page = await browser.newPage();
      await page.clock.setFixedTime(cases[0]![0]);
      await page.route(`${appOrigin}/v1/zips/**`, (route) =>
        route.fulfill({ json: answer, headers: { 'access-control-allow-origin': '*' } }),
      );
      await page.goto(`${allowedOrigin}${path}`);
      await widgetShown(page);
      for (const [index, row] of cases.entries()) {
        const [instant, hours, timeZone, open] = row;
        const name = `Case ${index} (fictional)`;
        answer = { ...real, destinations: [{ ...real.destinations[0], name, hours, timeZone, open }] };
        await page.clock.setFixedTime(instant);
        await page.locator('.crw input').fill('12305');
        await page.locator('.crw input').press('Enter');
        await page.locator('.crw-name', { hasText: name }).waitFor();
        const line = ((await page.locator('.crw-o p').last().textContent()) ?? '').replace(/\s+/g, ' ');
        t.equal(line, row[column], `${path} ${hours} at ${instant.toISOString()}`);
      }
      await page.close();
    }
  });
});
