// Importing POMI: all or nothing, idempotent per practice and month, offering changes derived,
// and the summary API over it for programme roles only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { apiToken, testApp, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { AppError } from '../../platform/http/errors.ts';
import { importPomi } from './service.ts';
import { longFile, wideFile, wideRow } from './test-files.ts';

let t: TestApp;
const tokens: Record<string, string> = {};
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  // These tests are of POMI and facilitators' histories: the demo practices' live months from
  // their settings on GP Online (tested in platform.int.test.ts) would be every page's latest.
  await sql`delete from service_offerings where source = 'platform'`.execute(t.db.db);
  for (const role of ['facilitator', 'commissioner', 'receptionist'] as const) {
    const s = DEMO_STAFF.find((x) => x.role === role)!;
    tokens[role] = await apiToken(t.app, s.email, DEMO_PASSWORD, s.totpSecret, t.clock);
  }
});
after(async () => {
  await t.close();
});

const ctx = () => ({ db: t.db.db, clock: t.clock, meta: null });
const system = { kind: 'system' } as const;
const counts = async () => ({
  returns: Number(
    (
      await t.db.db
        .selectFrom('pomi_returns')
        .select((e) => e.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  imports: Number(
    (
      await t.db.db
        .selectFrom('pomi_imports')
        .select((e) => e.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
});
const offerings = (practice: string) =>
  t.db.db
    .selectFrom('service_offerings')
    .select(['service', 'offered', 'effective_on', 'source'])
    .where('practice_ods', '=', practice)
    .orderBy('service')
    .orderBy('effective_on')
    .execute();
const summary = (query: string, role = 'facilitator') =>
  t.app.inject({
    method: 'GET',
    url: `/api/v1/programme/summary${query}`,
    headers: { authorization: `Bearer ${tokens[role] ?? ''}` },
  });

//            list  any  new appS appE appU prS prE prU dcS dcE dcU use
const april = [1000, 300, 5, 2, 290, 40, 1, 0, 0, 1, 0, 0, 40] as const;
const may = [1010, 320, 20, 2, 310, 45, 2, 100, 30, '', 0, 0, 75] as const;

test('a file with one bad line imports nothing and names the line', async () => {
  const before = await counts();
  await assert.rejects(
    importPomi(
      ctx(),
      system,
      wideFile([wideRow('2018-04-30', 'Z99001', [...april]), wideRow('2018-05-30', 'Z99001', [...may])]),
      {
        fileName: 'bad.csv',
      },
    ),
    (err: unknown) =>
      err instanceof AppError &&
      err.status === 400 &&
      /1 line has a problem/.test(err.message) &&
      err.fields[0]?.field === 'line 3',
  );
  assert.deepEqual(await counts(), before);
});

test('an import is idempotent per practice and month, and derives offering changes from the system statuses', async () => {
  const file = wideFile([
    wideRow('2018-04-30', 'Z99001', [...april]),
    wideRow('2018-05-31', 'Z99001', [...may]),
  ]);
  const first = await importPomi(ctx(), system, file, { fileName: 'a.csv' });
  assert.deepEqual([first.inserted, first.updated, first.practices], [2, 0, 1]);
  const again = await importPomi(ctx(), system, file, { fileName: 'a.csv' });
  assert.deepEqual([again.inserted, again.updated], [0, 2]);
  assert.equal((await counts()).returns, 2);
  // Appointments were on from April; prescriptions started in May; the record was off in
  // April and not reported in May, which changes nothing.
  assert.deepEqual(
    (await offerings('Z99001')).map((o) => [o.service, o.offered, o.effective_on, o.source]),
    [
      ['appointments', true, '2018-04-30', 'pomi'],
      ['detailed-coded-record', false, '2018-04-30', 'pomi'],
      ['prescriptions', false, '2018-04-30', 'pomi'],
      ['prescriptions', true, '2018-05-31', 'pomi'],
    ],
  );
  // A later file with June, the record switched on: the history is re-derived over all months.
  await importPomi(ctx(), system, longFile([['30JUN2018', 'Z99001', 'Sys_DetCodeRec_Enbld', '2']]), {
    fileName: 'b.csv',
  });
  const dcr = (await offerings('Z99001')).filter((o) => o.service === 'detailed-coded-record');
  assert.deepEqual(
    dcr.map((o) => [o.offered, o.effective_on]),
    [
      [false, '2018-04-30'],
      [true, '2018-06-30'],
    ],
  );
});

test('the summary adds up an area’s month for programme roles, and nobody else', async () => {
  await importPomi(
    ctx(),
    system,
    wideFile([
      wideRow('2018-05-31', 'Z99002', [500, 100, 1, 1, 0, 0, 2, 90, 10, 2, 50, 5, 15], { ccg: '99X' }),
    ]),
    { fileName: 'c.csv' },
  );
  const res = await summary('?area=02N&month=2018-05');
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['cache-control']), /no-store/);
  assert.deepEqual(res.json(), {
    area: { code: '02N', kind: 'ccg', name: 'NHS Airedale, Wharfedale and Craven CCG' },
    month: '2018-05',
    source: 'pomi',
    practices: 1,
    list_size: 1010,
    patients_enabled_any: 320,
    transactions: 75,
    services: {
      appointments: {
        practices_offering: 1,
        practices_reporting: 1,
        patients_enabled: 310,
        transactions: 45,
      },
      repeat_prescriptions: {
        practices_offering: 1,
        practices_reporting: 1,
        patients_enabled: 100,
        transactions: 30,
      },
      // The record's status was blank in May: not reported, so no practice counts either way.
      detailed_coded_record: {
        practices_offering: 0,
        practices_reporting: 0,
        patients_enabled: 0,
        transactions: 0,
      },
    },
  });
  const region = (await summary('?area=Y54&month=2018-05', 'commissioner')).json<{
    practices: number;
    list_size: number;
    services: { repeat_prescriptions: { practices_offering: number } };
  }>();
  assert.deepEqual(
    [region.practices, region.list_size, region.services.repeat_prescriptions.practices_offering],
    [2, 1510, 2],
  );
  const england = (await summary('')).json<{ area: { kind: string }; month: string }>();
  assert.deepEqual([england.area.kind, england.month], ['england', '2018-06']);
  assert.equal((await summary('?area=Y54', 'receptionist')).statusCode, 403);
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/programme/summary' })).statusCode, 401);
});

test('the summary refuses a month that is not one, and says when an area or month has no figures', async () => {
  assert.equal((await summary('?month=2018-13')).statusCode, 400);
  assert.equal((await summary('?month=May')).statusCode, 400);
  assert.equal((await summary('?area=Y5-4')).statusCode, 400);
  const unknown = await summary('?area=ZZZ');
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /No imported figures name the area ZZZ/);
  const empty = await summary('?area=02N&month=2017-01');
  assert.equal(empty.statusCode, 404);
  assert.match(empty.body, /No figures for 2017-01 in 02N/);
});
