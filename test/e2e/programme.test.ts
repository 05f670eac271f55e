// A commissioner reads the programme dashboard in Chromium with axe on every page: England's
// months from POMI and from the demo's histories, a chosen comparison, down to a region and a
// CCG, and the Lancashire 2012-13 figures the report gives.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_STAFF } from '../../src/demo/data.ts';
import { importGeography, importPomi } from '../../src/programme/index.ts';
import { wideFile, wideRow } from '../../src/programme/pomi/test-files.ts';
import { root } from '../support/harness.ts';
import { submit, submitRefused, visit } from './browser.ts';
import { demoSite } from './site.ts';

const commissioner = DEMO_STAFF.find((s) => s.role === 'commissioner')!;
const facilitator = DEMO_STAFF.find((s) => s.role === 'facilitator')!;
const site = demoSite();
//                                 list any new aS aE aU pS pE pU dS dE dU use
const on = (list: number) => [list, 50, 1, 2, 40, 9, 2, 30, 8, 2, 10, 3, 20];
const off = (list: number) => [list, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0];

test('a commissioner reads England, compares two months and goes down to a CCG', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const rows = ['2018-04-30', '2018-05-31', '2018-06-30'].flatMap((m, i) => [
    wideRow(m, 'Z20001', on(4000), { ccg: '03A' }),
    wideRow(m, 'Z20002', i >= 1 ? on(2500) : off(2500), { ccg: '03A' }),
    wideRow(m, 'Z20003', i >= 2 ? on(6000) : off(6000), { ccg: '03B', subregion: 'Q73' }),
  ]);
  await importPomi({ db: t.db.db, clock: t.clock, meta: null }, { kind: 'system' }, wideFile(rows), {
    fileName: 'journey.csv',
  });
  const map = [
    'PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_CCG_CODE,CCG_CODE,CCG_NAME,ONS_STP_CODE,STP_CODE,STP_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME',
    ...['Z20001', 'Z20002'].map(
      (p) =>
        `GP_PRAC_PAT_LIST,01-Sep-20,${p},SURGERY ${p},LS1 1AA,U00001,RIVER PCN,E38000001,03A,NHS Test CCG,E54000001,QWO,Test STP,E40000001,Y63,North East and Yorkshire`,
    ),
  ].join('\r\n');
  await importGeography({ db: t.db.db, clock: t.clock, meta: null }, { kind: 'system' }, map, {
    fileName: 'map.csv',
    kind: 'map',
  });

  const s = await site.open();
  await site.signIn(s, '/staff/sign-in', commissioner.email, commissioner.totpSecret);
  const { page } = s;
  await visit(s, site.origin, '/programme');
  await submit(s, () => page.getByRole('link', { name: 'Programme dashboard' }).click());
  assert.match(await page.locator('h1').innerText(), /Online services in England/);
  // The demo's Lancashire histories give 2012-13; the imported POMI gives 2018.
  assert.match(await page.locator('#months').innerText(), /June 2018\s+POMI\s+3/);
  assert.match(await page.locator('#months').innerText(), /April 2013\s+Offering histories\s+200/);
  const shots = join(root, '.tmp', 'screenshots');
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'programme-dashboard-england.png'), fullPage: true });

  await page.getByLabel('From', { exact: true }).selectOption({ label: 'April 2018' });
  await page.getByLabel('To', { exact: true }).selectOption({ label: 'June 2018' });
  await submit(s, () => page.getByRole('button', { name: 'Compare' }).click());
  assert.match(await page.locator('#comparisons').innerText(), /April 2018 → June 2018: 1 → 3 practices/);

  await submit(s, () => page.getByRole('link', { name: /\(Y54\)/ }).click());
  assert.match(await page.locator('h1').innerText(), /\(Y54\)/);
  await submit(s, () => page.getByRole('link', { name: 'Q72' }).click());
  await submit(s, () => page.getByRole('link', { name: '03A' }).click());
  assert.match(await page.locator('h1').innerText(), /NHS Test CCG \(03A\)/);
  assert.match(await page.locator('#children').innerText(), /Z20002/);
  await page.getByLabel('Clinical system supplier').selectOption({ label: 'EMIS' });
  await page.getByLabel('Sort by').selectOption({ label: 'Lowest uptake first' });
  await submit(s, () => page.getByRole('button', { name: 'Show practices' }).click());
  const table = await page.locator('#children').innerText();
  assert.match(table, /Shown: All 2 practices/);
  assert.ok(table.indexOf('Z20001') < table.indexOf('Z20002'), 'lowest uptake first');
  await page.screenshot({ path: join(shots, 'programme-dashboard-ccg.png'), fullPage: true });
  await submit(s, () => page.getByRole('link', { name: 'RIVER PCN' }).first().click());
  assert.match(await page.locator('h1').innerText(), /RIVER PCN \(U00001\)/);
  await page.screenshot({ path: join(shots, 'programme-dashboard-pcn.png'), fullPage: true });
  await visit(s, site.origin, '/programme/dashboard?area=03A');
  const csv = await page.getByRole('link', { name: 'Download these figures (CSV)' }).getAttribute('href');
  assert.equal(csv, '/programme/dashboard.csv?area=03A');

  // The report's Lancashire figures, from the demo's offering histories.
  await visit(s, site.origin, '/programme/dashboard?area=Q47');
  const lancashire = await page.locator('#comparisons').innerText();
  assert.match(lancashire, /Online repeat prescriptions: July 2012 → April 2013: 60 → 75 practices/);
  assert.match(lancashire, /Online appointment booking: July 2012 → April 2013: 51 → 60 practices/);
  assert.match(lancashire, /record\): July 2012 → April 2013: 2 → 18 practices/);
  await page.screenshot({ path: join(shots, 'programme-dashboard-lancashire.png'), fullPage: true });
  // The upload page lists the file imported above (by the command line).
  await visit(s, site.origin, '/programme/imports');
  assert.match(await page.locator('#imports').innerText(), /journey\.csv/);
  tc.diagnostic(`axe checked ${String(s.checked.length)} pages`);
});

test('a facilitator works through a practice: a checklist item, a mistake, then the transition plan', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const s = await site.open();
  await site.signIn(s, '/staff/sign-in', facilitator.email, facilitator.totpSecret);
  const { page } = s;
  await visit(s, site.origin, '/programme');
  await submit(s, () => page.getByRole('link', { name: 'Your practices' }).click());
  assert.match(await page.locator('#portfolio').innerText(), /P81082/);
  await submit(s, () => page.getByRole('link', { name: /\(P81082\)/ }).click());

  // Patient involvement: in progress, then the date typed wrong, put right.
  await submit(s, () => page.getByRole('link', { name: 'Change Patient involvement' }).click());
  await page.getByLabel('In progress').check();
  await page.getByLabel('Day').fill('31');
  await page.getByLabel('Month').fill('2');
  await page.getByLabel('Year').fill('2013');
  await page.getByLabel('Owner (optional)').fill('Practice manager');
  await page.getByLabel('Notes (optional)').fill('Patient group meets in March');
  await submitRefused(s, () => page.getByRole('button', { name: 'Save' }).click());
  assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Enter a real date/);
  await page.getByLabel('Day').fill('28');
  await submit(s, () => page.getByRole('button', { name: 'Save' }).click());
  assert.match(await page.locator('.nhsuk-notification-banner').innerText(), /Checklist updated/);
  assert.match(
    await page.locator('#element-patient-involvement').innerText(),
    /In progress\s+28 February 2013\s+Practice manager/,
  );
  assert.match(await page.locator('#history').innerText(), /Patient involvement\s+In progress/);

  await submit(s, () => page.getByRole('link', { name: 'Write the plan' }).click());
  await page.getByLabel('Next steps').fill('Switch on record access once reception is trained');
  await page.getByLabel('Receiving organisation').fill('NHS Chorley and South Ribble CCG (00X)');
  await page.getByLabel('Owner', { exact: true }).fill('CCG primary care lead');
  await page.getByLabel('Day').fill('31');
  await page.getByLabel('Month').fill('3');
  await page.getByLabel('Year').fill('2014');
  await page.getByLabel('What is handed over').fill('The checklist, patient group contacts, open actions');
  await submit(s, () => page.getByRole('button', { name: 'Save the plan' }).click());
  assert.match(await page.locator('.nhsuk-notification-banner').innerText(), /Transition plan saved/);
  assert.match(await page.locator('main').innerText(), /31 March 2014/);
  const shots = join(root, '.tmp', 'screenshots');
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'programme-workspace-practice.png'), fullPage: true });
  await visit(s, site.origin, '/programme/practices?order=gap');
  assert.match(
    await page.locator('#portfolio').innerText(),
    /Switch on record access once reception is trained/,
  );
  tc.diagnostic(`axe checked ${String(s.checked.length)} pages`);
});
