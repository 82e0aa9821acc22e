import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launchChromium, watchErrors } from '../helpers/browser.js';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { ADMIN_TOKEN, removeCenter, sampleCsv, startInstance } from '../helpers/service.js';

/**
 * The coverage page in a real browser (Debian's chromium, driven by playwright-core), under the
 * service's own CSP: it asks for the token, draws the active version's zips and its state table, and
 * shows a dry run of a CSV beside the active version.
 */

t.test('the coverage page in headless Chromium', async (t) => {
  await mkdir(ARTIFACTS, { recursive: true });
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const instance = await startInstance(redis.url, { namespace: testNamespace(), env: { LOG_LEVEL: 'warn' } });
  t.teardown(() => instance.close());
  await instance.app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(instance.app.server.address() as AddressInfo).port}`;
  const active = instance.tables.table!.version;

  const browser: Browser = await launchChromium();
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = watchErrors(page);

  t.test('it asks for the token, then draws the active version: zips on a map and a row per state', async (t) => {
    await page.goto(`${origin}/v1/admin/coverage`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('.panel svg .cells rect').first().waitFor();
    t.match(await page.getByRole('status').textContent(), `Showing ${active}.`);
    t.equal(await page.locator('.panel').count(), 1);
    const cells = await page.locator('.panel svg .cells rect').count();
    t.ok(cells > 5000, `cells drawn: ${cells}`);
    t.ok((await page.locator('.panel svg .centers circle').count()) > 150, 'the centers are drawn');
    const rows = page.locator('.panel table tbody tr');
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const { states } = (await instance.inject({ url: `/v1/admin/datasets/${active}/coverage`, headers })).json();
    t.equal(await rows.count(), 1 + states.length, 'the whole table, then a row per state');
    t.equal(await rows.first().locator('th').textContent(), 'all');
    t.ok(await page.evaluate(() => sessionStorage.getItem('crisis-route.adminToken') !== null), 'kept for the tab');
    await page.screenshot({ path: `${ARTIFACTS}/coverage.png`, fullPage: true });

    await page.getByRole('radio', { name: 'distance to it' }).check();
    await page.locator('.cells rect[fill="#d73027"]').first().waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/coverage-distance.png`, fullPage: true });
    await page.getByRole('radio', { name: 'first center' }).check();
  });

  t.test('a dry run of a CSV shows the active version and the upload side by side', async (t) => {
    const csv = removeCenter(sampleCsv(), 'wy-cheyenne');
    await page
      .getByLabel('Affiliates CSV')
      .setInputFiles({ name: 'no-cheyenne.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.locator('.panel').nth(1).locator('svg .cells rect').first().waitFor();
    t.match(await page.locator('.panel h2').allTextContents(), [`Active: ${active}`, /^Dry run of no-cheyenne.csv: /]);
    const wyoming = page
      .locator('.panel')
      .nth(1)
      .locator('tbody tr', { has: page.locator('th', { hasText: /^WY$/ }) });
    t.equal(await wyoming.locator('td').nth(1).textContent(), '0.0 %', "Wyoming's zips: none in-state first");
    t.equal(await wyoming.locator('td.changed').first().getAttribute('title'), 'before: 100.0 %');
    await page.screenshot({ path: `${ARTIFACTS}/coverage-dry-run.png`, fullPage: true });
  });

  t.test('a refused token brings the token box back', async (t) => {
    await page.evaluate(() => sessionStorage.setItem('crisis-route.adminToken', 'wrong-token-0123456789'));
    await page.getByRole('button', { name: 'Show coverage' }).click();
    await page.getByLabel('Admin token').waitFor();
    t.match(await page.getByRole('status').textContent(), /token was refused/);
  });

  t.test('no console errors: nothing blocked by the CSP, no exceptions', async (t) => {
    t.same(
      errors.filter((e) => !/status of 401/.test(e)),
      [],
    );
  });
});
