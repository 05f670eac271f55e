// Practice geography: the map, list-size and IMD files imported whole or not at all, the PCN
// level of the dashboard, and the practice table's filters.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, signInStaff, testApp, type Browser, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { importPomi } from '../pomi/service.ts';
import { wideFile, wideRow } from '../pomi/test-files.ts';
import { practiceFileKind } from './rules.ts';
import { importGeography } from './service.ts';

let t: TestApp;
let ctx: Ctx;
let facilitator: Browser;
let token: string;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  ctx = { db: t.db.db, clock: t.clock, meta: null };
  const s = DEMO_STAFF.find((x) => x.role === 'facilitator')!;
  facilitator = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret);
  token = await apiToken(t.app, s.email, DEMO_PASSWORD, s.totpSecret, t.clock);
});
after(async () => {
  await t.close();
});

const geo = { region: 'Y56', subregion: 'Q71', ccg: '07N' };
//                                          list any new aS aE aU pS pE pU dS dE dU use
const on = (list: number, any: number) => [list, any, 1, 2, 40, 9, 2, 30, 8, 2, 10, 3, 20];
const noRecord = (list: number, any: number) => [list, any, 0, 2, 0, 0, 2, 0, 0, 1, 0, 0, 0];
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const MAP =
  'PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_CCG_CODE,CCG_CODE,CCG_NAME,ONS_STP_CODE,STP_CODE,STP_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME';
const mapRow = (practice: string, name: string, pcn: string, pcnName: string) =>
  `GP_PRAC_PAT_LIST,01-Sep-20,${practice},${name},SE1 1AA,${pcn},${pcnName},E38000001,07N,NHS Test CCG,E54000001,QKK,Test STP,E40000003,Y56,London`;
const LISTS = 'PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS';
const IMD =
  'Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value';
const imd = (code: string, v: string) =>
  `93553,Deprivation score (IMD 2019),07N,X,${code},X,GP,Persons,All ages,,,2019,${v}`;

const load = (text: string, fileName: string) =>
  importGeography(ctx, { kind: 'system' }, text, { fileName, kind: practiceFileKind(text) as 'map' });

test('the files import, each filling its own columns', async () => {
  await importPomi(
    ctx,
    { kind: 'system' },
    wideFile([
      wideRow('2019-03-31', 'Z20001', on(1000, 600), geo),
      wideRow('2019-03-31', 'Z20002', noRecord(3000, 150), geo),
      wideRow('2019-03-31', 'Z20003', on(2000, 100), geo),
    ]),
    { fileName: 'pomi.csv' },
  );
  const map = await load(
    [
      MAP,
      mapRow('Z20001', 'RIVER SURGERY', 'U00001', 'RIVER PCN'),
      mapRow('Z20002', 'HILL SURGERY', 'U00001', 'RIVER PCN'),
      mapRow('Z20003', 'VALE SURGERY', 'U00002', 'VALE PCN'),
    ].join('\r\n'),
    'map.csv',
  );
  assert.deepEqual(map, { kind: 'map', practices: 3, names: 8, on: '2020-09-01' });
  await load([LISTS, 'GP_PRAC_PAT_LIST,01JAN2021,GP,07N,E,Z20001,SE1,ALL,ALL,1100'].join('\n'), 'lists.csv');
  await load([IMD, imd('Z20001', '45.5'), imd('Z20002', '10.25'), imd('Z20003', '30')].join('\n'), 'imd.csv');
  const row = await t.db.db
    .selectFrom('practice_profiles')
    .selectAll()
    .where('practice_ods', '=', 'Z20001')
    .executeTakeFirstOrThrow();
  assert.equal(row.pcn_code, 'U00001');
  assert.equal(row.list_size, 1100);
  assert.equal(Number(row.imd_score), 45.5);
  assert.equal(row.imd_year, 2019);
  const audited = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'programme.geography.import')
    .execute();
  assert.equal(audited.length, 3);
});

test('a file with a bad line is refused whole, naming the line; the earlier import stands', async () => {
  const err = await load(
    [
      MAP,
      mapRow('Z20001', 'RIVER SURGERY', 'U00009', 'OTHER PCN'),
      mapRow('Z2 0002', 'X', 'U00009', 'P'),
    ].join('\n'),
    'bad.csv',
  ).catch((e: unknown) => e);
  assert.ok(err instanceof AppError);
  assert.match(err.message, /Nothing was imported: 1 line has a problem/);
  assert.deepEqual(err.fields[0], { field: 'line 3', message: 'PRACTICE_CODE "Z2 0002" is not an ODS code' });
  const row = await t.db.db
    .selectFrom('practice_profiles')
    .select('pcn_code')
    .where('practice_ods', '=', 'Z20001')
    .executeTakeFirstOrThrow();
  assert.equal(row.pcn_code, 'U00001');
  const receptionist: StaffActor = {
    kind: 'staff',
    staffId: '00000000-0000-4000-8000-000000000001',
    email: 'r@example.org',
    name: 'R',
    role: 'receptionist',
    practiceOds: 'A81001',
    commissionerCode: null,
  };
  await assert.rejects(
    importGeography(ctx, receptionist, MAP, { fileName: 'x.csv', kind: 'map' }),
    (e: unknown) => e instanceof AppError && e.code === 'forbidden',
  );
});

test('a PCN dashboard adds up the practices the map puts in it, under its CCG', async () => {
  const res = await facilitator.get('/programme/dashboard?area=U00001');
  assert.equal(res.statusCode, 200);
  const words = text(res.body);
  assert.match(words, /Online services in RIVER PCN \(U00001\)/);
  assert.match(words, /March 2019 2 practices reported, with 4,000 registered patients; 18\.8% of them/);
  assert.match(res.body, /href="\/programme\/dashboard\?area=07N"/);
  assert.match(words, /RIVER SURGERY \(Z20001\) EMIS 1,000 Yes Yes Yes 60\.0% 1 \(45\.5\)/);
  assert.doesNotMatch(words, /Z20003/);
  const api = await t.app.inject({
    method: 'GET',
    url: '/api/v1/programme/summary?area=U00001',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(api.statusCode, 200);
  const body = api.json<{ area: { kind: string }; practices: number; list_size: number }>();
  assert.deepEqual([body.area.kind, body.practices, body.list_size], ['pcn', 2, 4000]);
});

test('the CCG’s practice table: PCN, supplier, uptake and deprivation, filtered and sorted', async () => {
  const all = text((await facilitator.get('/programme/dashboard?area=07N')).body);
  assert.match(all, /Shown: All 3 practices/);
  // Its PCNs, a level down from the CCG, each a link to the PCN's dashboard.
  assert.match(
    all,
    /by primary care network \(PCN\).* RIVER PCN \(U00001\) 2 4,000 .* VALE PCN \(U00002\) 1 /,
  );
  const page = (await facilitator.get('/programme/dashboard?area=07N')).body;
  assert.match(page, /<a href="\/programme\/dashboard\?area=U00001">RIVER PCN \(U00001\)<\/a>/);
  assert.match(all, /HILL SURGERY \(Z20002\) RIVER PCN EMIS 3,000 Yes Yes No 5\.0% 5 \(10\.3\)/);
  const missing = text((await facilitator.get('/programme/dashboard?area=07N&offers=missing-any')).body);
  assert.match(missing, /Shown: 1 of 3 practices/);
  assert.match(missing, /Z20002/);
  assert.doesNotMatch(missing, /Z20001\)/);
  const deprived = text((await facilitator.get('/programme/dashboard?area=07N&imd=1&offers=')).body);
  assert.match(deprived, /Shown: 1 of 3 practices/);
  assert.match(deprived, /Z20001/);
  const sorted = (await facilitator.get('/programme/dashboard?area=07N&sort=uptake-low')).body;
  const order = ['Z20002', 'Z20003', 'Z20001'].map((c) => sorted.indexOf(`(${c})</a></th>`));
  assert.ok(order[0]! > 0 && order[0]! < order[1]! && order[1]! < order[2]!, String(order));
  const none = text((await facilitator.get('/programme/dashboard?area=07N&supplier=TPP')).body);
  assert.match(none, /No practice matches these filters/);
  const bad = await facilitator.get('/programme/dashboard?area=07N&offers=everything');
  assert.equal(bad.statusCode, 400);
});

test('a practice’s page gives its PCN, list size and deprivation', async () => {
  const words = text((await facilitator.get('/programme/dashboard?area=Z20001')).body);
  assert.match(words, /Primary care network RIVER PCN \(U00001\)/);
  assert.match(words, /Registered patients 1,100 on 1 January 2021/);
  assert.match(words, /Score 45\.5, fifth 1 of English practices/);
  const other = text((await facilitator.get('/programme/dashboard?area=Z20003')).body);
  assert.match(other, /Registered patients Not known/);
});
