// The programme dashboard page and its CSV: figures from imported POMI, drill-down by area,
// programme roles only, and fresh figures as soon as another import lands.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { signInStaff, testApp, type Browser, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { importPomi } from '../pomi/service.ts';
import { wideFile, wideRow } from '../pomi/test-files.ts';

let t: TestApp;
let facilitator: Browser;
let receptionist: Browser;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  // These tests are of POMI and facilitators' histories: the demo practices' live months from
  // their settings on GP Online (tested in platform.int.test.ts) would be every page's latest.
  await sql`delete from service_offerings where source = 'platform'`.execute(t.db.db);
  const sign = (role: string) => {
    const s = DEMO_STAFF.find((x) => x.role === role)!;
    return signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret);
  };
  facilitator = await sign('facilitator');
  receptionist = await sign('receptionist');
});
after(async () => {
  await t.close();
});

const load = (rows: string[], name: string) =>
  importPomi({ db: t.db.db, clock: t.clock, meta: null }, { kind: 'system' }, wideFile(rows), {
    fileName: name,
  });
//                                 list any new aS aE aU pS pE pU dS dE dU use
const on = (list: number) => [list, 50, 1, 2, 40, 9, 2, 30, 8, 2, 10, 3, 20];
const off = (list: number) => [list, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0];
// London, so the demo's Lancashire histories (under Y54) stay out of these areas.
const LONDON_A = { region: 'Y56', subregion: 'Q71', ccg: '07L' };
const LONDON_B = { region: 'Y56', subregion: 'Q71', ccg: '07M' };
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('before any import, England is counted from the demo’s Lancashire offering histories and says so', async () => {
  const page = await facilitator.get('/programme/dashboard');
  assert.equal(page.statusCode, 200);
  const words = text(page.body);
  assert.match(words, /Every month here is counted from offering histories/);
  assert.match(words, /April 2013 200 practices with an offering history by then/);
  assert.match(words, /April 2013 Offering histories 200 60 \(30\.0%\) 75 \(37\.5%\) 18 \(9\.0%\)/);
  assert.doesNotMatch(words, /From NHS Digital’s Patient Online Management Information/);
});

test('England, a region and a CCG: the latest month, the report-style change, the chart and its table', async () => {
  await load(
    [
      wideRow('2018-04-30', 'Z10001', off(1000), LONDON_A),
      wideRow('2018-04-30', 'Z10002', on(3000), LONDON_A),
      wideRow('2018-04-30', 'Z10003', off(2000), LONDON_B),
      wideRow('2018-05-31', 'Z10001', on(1000), LONDON_A),
      wideRow('2018-05-31', 'Z10002', on(3000), LONDON_A),
      wideRow('2018-05-31', 'Z10003', off(2000), LONDON_B),
    ],
    'a.csv',
  );
  const england = await facilitator.get('/programme/dashboard?from=2018-04');
  assert.equal(england.statusCode, 200);
  assert.match(String(england.headers['cache-control']), /no-store/);
  const words = text(england.body);
  assert.match(words, /Online services in England/);
  assert.match(words, /May 2018 3 practices reported, with 6,000 registered patients/);
  assert.match(words, /Online repeat prescriptions : April 2018 → May 2018: 1 → 2 practices/);
  assert.match(words, /Months without POMI are counted from offering histories/);
  assert.match(words, /May 2018 POMI 3 2 \(66\.7%\)/);
  assert.match(england.body, /role="img" aria-label="Line chart[^"]*"><div aria-hidden="true"><svg/);
  assert.match(england.body, /href="\/programme\/dashboard\?area=Y56"/);

  const region = await facilitator.get('/programme/dashboard?area=Y56');
  assert.match(text(region.body), /Online services in region Y56/);
  assert.doesNotMatch(text(region.body), /Offering histories/);
  assert.match(region.body, /href="\/programme\/dashboard\?area=Q71"/);
  const ccg = text((await facilitator.get('/programme/dashboard?area=07L')).body);
  assert.match(ccg, /Online services in CCG 07L/);
  assert.match(ccg, /May 2018: 2 practices/);
  assert.match(ccg, /Z10001 not known EMIS 1,000 Yes Yes Yes 5\.0% not known/);
  const other = text((await facilitator.get('/programme/dashboard?area=07M')).body);
  assert.match(other, /Z10003 not known EMIS 2,000 No No No 0\.0% not known/);
});

test('the CSV carries every month’s figures for the area', async () => {
  const res = await facilitator.get('/programme/dashboard.csv?area=07L');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/csv/);
  assert.match(String(res.headers['content-disposition']), /online-services-07L\.csv/);
  const lines = res.body.trim().split('\r\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0] ?? '', /^area,month,practices,patient_list_size,appointments_practices_offering/);
  assert.match(lines[1] ?? '', /^07L,2018-04,2,4000,1,.*,pomi$/);
  assert.match(lines[2] ?? '', /^07L,2018-05,2,4000,2,.*,pomi$/);
});

test('a later import shows at once: the cached figures are keyed by the import', async () => {
  await load([wideRow('2018-06-30', 'Z10003', on(2000), LONDON_B)], 'b.csv');
  const words = text((await facilitator.get('/programme/dashboard?area=07M')).body);
  assert.match(words, /June 2018 1 practice reported/);
  assert.match(words, /April 2018 → June 2018: 0 → 1 practice/);
});

test('comparing chosen months, and bad or unknown areas, months and roles', async () => {
  const words = text((await facilitator.get('/programme/dashboard?from=2018-05&to=2018-06')).body);
  assert.match(words, /May 2018 → June 2018: 2 → 1 practice/);
  assert.equal((await facilitator.get('/programme/dashboard?from=May')).statusCode, 400);
  assert.equal((await facilitator.get('/programme/dashboard?area=%3Cx%3E')).statusCode, 400);
  const unknown = await facilitator.get('/programme/dashboard?area=ZZZ');
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /No imported figures name the area ZZZ/);
  assert.equal((await receptionist.get('/programme/dashboard')).statusCode, 403);
  assert.equal((await receptionist.get('/programme/dashboard.csv')).statusCode, 403);
  const anonymous = await t.app.inject({ method: 'GET', url: '/programme/dashboard' });
  assert.equal(anonymous.statusCode, 302);
  assert.match(String(anonymous.headers.location), /^\/staff\/sign-in/);
});
