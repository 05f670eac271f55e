// A practice manager finds the practice's POMI return in Chromium, with axe on every page: the
// month's thirteen fields and the CSV in NHS Digital's long format (issue #12).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_STAFF } from '../../src/demo/data.ts';
import { root } from '../support/harness.ts';
import { submit } from './browser.ts';
import { demoSite } from './site.ts';

const manager = DEMO_STAFF.find((s) => s.role === 'practice-manager')!;
const site = demoSite();

test('a practice manager reads this month’s POMI return and downloads it', async (tc) => {
  if (!site.ready(tc)) return;
  const s = await site.open();
  await site.signIn(s, '/staff/sign-in', manager.email, manager.totpSecret);
  const { page } = s;
  const header = page.locator('header');
  const link = header.getByRole('link', { name: 'POMI return' });
  // Links that do not fit the header's width are under "More".
  if (!(await link.isVisible())) await header.getByRole('button', { name: 'More' }).click();
  await submit(s, () => link.click());
  assert.match(await page.locator('h1').innerText(), /POMI return/);
  const table = await page.locator('table').innerText();
  assert.match(table, /Pat_Appts_Enbld\s+\d+/);
  assert.match(table, /Sys_Appts_Enbld\s+2/);
  assert.match(await page.content(), /is not over/);
  const shots = join(root, '.tmp', 'screenshots');
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'pomi-return.png'), fullPage: true });
  // The month chooser works without JavaScript: a GET form.
  await submit(s, () => page.getByRole('button', { name: 'Show this month' }).click());
  assert.match(page.url(), /\/staff\/reports\/pomi\?month=\d{4}-\d{2}$/);
  const href = await page.getByRole('link', { name: /Download .* as CSV/ }).getAttribute('href');
  assert.ok(href);
  const csv = await page.context().request.get(`${site.origin}${href}`);
  assert.equal(csv.status(), 200);
  const body = await csv.text();
  assert.match(body, /^report_period_end,region_code,region_name,/);
  assert.equal(body.split('\r\n').filter(Boolean).length, 14);
  tc.diagnostic(`axe checked ${String(s.checked.length)} pages`);
});
