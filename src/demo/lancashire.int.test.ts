// The Lancashire 2012-13 scenario on the dashboard and the summary API: the report's figures,
// July 2012 → April 2013, from offering histories; loading again changes nothing; a POMI import
// that moves the CCGs does not lose the scenario once the demo puts it back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, signInStaff, testApp, type Browser, type TestApp } from '../../test/support/harness.ts';
import { englandDay } from '../platform/dates.ts';
import { monthName } from '../programme/dashboard/rules.ts';
import { importPomi, recordOfferings } from '../programme/index.ts';
import { wideFile, wideRow } from '../programme/pomi/test-files.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from './data.ts';
import { loadLancashire } from './lancashire.ts';
import { loadDemo } from './load.ts';

let t: TestApp;
let commissioner: Browser;
let token: string;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  const s = DEMO_STAFF.find((x) => x.role === 'commissioner')!;
  commissioner = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret);
  token = await apiToken(t.app, s.email, DEMO_PASSWORD, s.totpSecret, t.clock);
});
after(async () => {
  await t.close();
});

const ctx = () => ({ db: t.db.db, clock: t.clock, meta: null });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
type Service = { practices_offering: number; patients_enabled: number | null };
const summary = async (query: string) => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/programme/summary${query}`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{
    source: string;
    practices: number;
    list_size: number | null;
    services: Record<'appointments' | 'repeat_prescriptions' | 'detailed_coded_record', Service>;
  }>();
};

async function assertReportFigures(): Promise<void> {
  const page = await commissioner.get('/programme/dashboard?area=Q47&from=2012-07&to=2013-04');
  assert.equal(page.statusCode, 200);
  const words = text(page.body);
  assert.match(words, /Online services in Lancashire \(2012–13 demo scenario\) \(Q47\)/);
  assert.match(words, /Online repeat prescriptions : July 2012 → April 2013: 60 → 75 practices/);
  assert.match(words, /Online appointment booking : July 2012 → April 2013: 51 → 60 practices/);
  assert.match(
    words,
    /Online record access \(detailed coded record\) : July 2012 → April 2013: 2 → 18 practices/,
  );
}

test('the Lancashire dashboard gives the report’s figures, July 2012 → April 2013', async () => {
  await assertReportFigures();
  // The default comparison is the first and last month: the same two.
  const words = text((await commissioner.get('/programme/dashboard?area=Q47')).body);
  assert.match(
    words,
    /Online repeat prescriptions : July 2012 → April 2013: 60 → 75 practices \(30\.0% → 37\.5% of practices\)/,
  );
  // The latest month is this one, where only the demo practice on GP Online is known (under 00X),
  // from its own settings: the 2013 survey is not carried forward 13 years.
  const now = monthName(englandDay(t.clock.now()).slice(0, 7));
  assert.match(words, new RegExp(`${now} 1 practice with an offering history by then`));
  assert.match(
    words,
    new RegExp(`CCGs ${now}: 1 CCG .* NHS Chorley and South Ribble CCG \\(00X\\) 1 not reported`),
  );
  // April 2013 still counts the survey's 200 practices.
  assert.equal((await summary('?area=Q47&month=2013-04')).practices, 200);
  const ccg = text((await commissioner.get('/programme/dashboard?area=00X')).body);
  assert.match(ccg, /Walton-le-Dale demo practice \(P81082\)/);
});

test('the summary API says a month from histories is one, and leaves what histories lack null', async () => {
  const july = await summary('?area=Q47&month=2012-07');
  assert.equal(july.source, 'offering-history');
  assert.equal(july.practices, 200);
  assert.equal(july.list_size, null);
  assert.equal(july.services.repeat_prescriptions.practices_offering, 60);
  assert.equal(july.services.appointments.practices_offering, 51);
  assert.equal(july.services.detailed_coded_record.practices_offering, 2);
  assert.equal(july.services.appointments.patients_enabled, null);
  const april = await summary('?area=Q47&month=2013-04');
  assert.equal(april.services.repeat_prescriptions.practices_offering, 75);
  const june = await t.app.inject({
    method: 'GET',
    url: '/api/v1/programme/summary?area=Q47&month=2012-06',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(june.statusCode, 404);
});

test('loading the scenario again changes no figure', async () => {
  const before = await t.db.db
    .selectFrom('service_offerings')
    .select((e) => e.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  await loadLancashire(ctx());
  const again = await t.db.db
    .selectFrom('service_offerings')
    .select((e) => e.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(again.n, before.n);
  await assertReportFigures();
});

test('POMI naming a Lancashire CCG under a 2018 sub-region moves it; the demo puts the scenario back', async () => {
  const lookup = [
    'practice_code,practice_name,ccg_code,ccg_name,subregion_code,subregion_name,region_code,region_name,system_supplier,last_report_period_end',
    'P81001,A PRACTICE,00Q,NHS Blackburn with Darwen CCG,Q83,NHS ENGLAND NORTH (LANCASHIRE AND SOUTH CUMBRIA),Y54,NORTH OF ENGLAND COMMISSIONING REGION,EMIS,2019-03-31',
  ].join('\n');
  await importPomi(ctx(), { kind: 'system' }, `${lookup}\n`, { fileName: 'lookup.csv' });
  const moved = text((await commissioner.get('/programme/dashboard?area=Q47&from=2012-07&to=2013-04')).body);
  // The 26 practices of 00Q now count under Q83, not Q47.
  assert.equal((await summary('?area=Q47&month=2013-04')).practices, 174);
  assert.doesNotMatch(moved, /NHS Blackburn with Darwen CCG \(00Q\)/);
  await loadLancashire(ctx());
  await assertReportFigures();
  // POMI's own months for the same CCG are still counted from POMI.
  await importPomi(
    ctx(),
    { kind: 'system' },
    wideFile([
      wideRow('2018-04-30', 'P81001', [5000, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 1], {
        ccg: '00Q',
        subregion: 'Q83',
      }),
    ]),
    { fileName: 'w.csv' },
  );
  const ccg = text((await commissioner.get('/programme/dashboard?area=00Q')).body);
  assert.match(ccg, /April 2018 POMI 1 /);
  assert.match(ccg, /April 2013 Offering histories 26 /);
});

test('recording changes refuses a day that does not exist or is after today, writing nothing', async () => {
  const count = async () =>
    (
      await t.db.db
        .selectFrom('service_offerings')
        .select((e) => e.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const n = await count();
  const change = (effectiveOn: string) => ({
    practiceOds: 'P81082',
    service: 'appointments' as const,
    offered: true,
    effectiveOn,
    note: null,
    detail: {},
  });
  const nextYear = String(Number(englandDay(t.clock.now()).slice(0, 4)) + 1);
  await assert.rejects(
    recordOfferings(
      ctx(),
      { kind: 'system' },
      { areas: [], changes: [change('2013-02-30')], reason: 'test' },
    ),
    /Nothing was recorded/,
  );
  await assert.rejects(
    recordOfferings(
      ctx(),
      { kind: 'system' },
      {
        areas: [],
        changes: [change('2013-01-01'), change(`${nextYear}-01-01`)],
        reason: 'test',
      },
    ),
    /Nothing was recorded/,
  );
  assert.equal(await count(), n);
});
