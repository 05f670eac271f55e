// Results as people see them, in Chromium with axe: the history chart on a 375 px phone (no
// sideways scroll, the normal range shaded, the legend whole and inside the chart), and the
// review queue's values before filing. Screenshots go to /work/briefs/shots when that folder exists.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PATIENTS, DEMO_STAFF } from '../../src/demo/data.ts';
import { visit } from './browser.ts';
import { demoSite } from './site.ts';

const full = DEMO_PATIENTS[4]!;
const gp = DEMO_STAFF[1]!;
const site = demoSite();
const SHOTS = '/work/briefs/shots';
const PHONE = { width: 375, height: 812 };

type Box = { x: number; y: number; width: number; height: number };
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is on the page`);
  return b;
}

/** Scripts as text: the tests are type-checked without the DOM library. */
const scrollWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

test('HAZ-19 the results chart fits a 375 px phone: no sideways scroll, a shaded normal range, axes with units, the whole legend inside the chart', async (tc) => {
  if (!site.ready(tc)) return;
  const s = await site.open();
  await s.page.setViewportSize(PHONE);
  await site.signIn(s, '/patient/sign-in', full.email, full.totpSecret);
  const charts = [
    {
      code: '1003671000000109',
      y: 'Haemoglobin A1c level (mmol/mol)',
      legend: ['Haemoglobin A1c level'],
      shot: 'results-chart-375.png',
    },
    {
      code: '75367002',
      y: 'Blood pressure (mmHg)',
      legend: ['Systolic blood pressure', 'Diastolic blood pressure'],
      shot: 'results-chart-blood-pressure-375.png',
    },
  ];
  for (const c of charts) {
    await visit(s, site.origin, `/patient/record/history?code=${c.code}`);
    const { page } = s;
    assert.ok((await scrollWidth(page)) <= PHONE.width, `${c.code}: the page scrolls sideways`);
    const svg = await box(page, '.app-history-chart svg');
    assert.ok(
      svg.x >= 0 && svg.x + svg.width <= PHONE.width,
      `${c.code}: the chart is wider than the screen`,
    );
    const legend = await box(page, '.app-history-chart svg .role-legend');
    assert.ok(
      inside(legend, svg),
      `${c.code}: the legend ${JSON.stringify(legend)} is outside ${JSON.stringify(svg)}`,
    );
    const legendText = (await page.locator('.app-history-chart svg .role-legend').textContent()) ?? '';
    for (const name of c.legend)
      assert.ok(legendText.includes(name), `${c.code}: legend shows ${legendText}`);
    assert.doesNotMatch(legendText, /…/, 'no legend label is cut short');
    assert.ok(
      await page.locator('.app-history-chart svg .normal_range_marks path').count(),
      'the normal range is shaded',
    );
    const svgText = (await page.locator('.app-history-chart svg').textContent()) ?? '';
    assert.ok(
      svgText.includes(c.y) && svgText.includes('Date of result'),
      `${c.code}: axis titles in ${svgText.slice(0, 200)}`,
    );
    assert.match((await page.locator('.app-history-chart figcaption').textContent()) ?? '', /shaded area/);
    assert.ok(await page.locator('table#history tbody tr').count(), 'the table of every result is kept');
    if (existsSync(SHOTS)) await page.screenshot({ path: `${SHOTS}/${c.shot}` });
  }
});

test('HAZ-18 the review queue shows each result’s value, range and flag before filing, on a phone too', async (tc) => {
  if (!site.ready(tc)) return;
  const s = await site.open();
  await s.page.setViewportSize(PHONE);
  await site.signIn(s, '/staff/sign-in', gp.email, gp.totpSecret);
  await visit(s, site.origin, '/staff/review');
  const { page } = s;
  const item = page.locator('li.app-record-entry', { hasText: 'Serum potassium level' }).first();
  const text = ((await item.textContent()) ?? '').replace(/\s+/g, ' ');
  assert.match(text, /5\.9 mmol\/L ?Normal range: 3\.5 to 5\.3 mmol\/L Above normal range/);
  assert.ok((await scrollWidth(page)) <= PHONE.width, 'the queue scrolls sideways');
  if (existsSync(SHOTS)) await item.screenshot({ path: `${SHOTS}/review-queue-values-375.png` });
});
