// The facilitator workspace: the portfolio in both orders, a checklist item and the plan changed
// with history and audit, bad input refused with nothing written, and who may see and change it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signInStaff, testApp, type Browser, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';

let t: TestApp;
const as: Record<string, Browser> = {};
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  for (const role of ['facilitator', 'commissioner', 'receptionist'] as const) {
    const s = DEMO_STAFF.find((x) => x.role === role)!;
    as[role] = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret);
  }
});
after(async () => {
  await t.close();
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const f = () => as.facilitator!;
const count = async (table: 'checklist_entries' | 'transition_plans') =>
  Number(
    (
      await t.db.db
        .selectFrom(table)
        .select((e) => e.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const audits = async (action: string) =>
  Number(
    (
      await t.db.db
        .selectFrom('audit_events')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('action', '=', action)
        .executeTakeFirstOrThrow()
    ).n,
  );

test('the portfolio lists the facilitator’s practices, with readiness and the gap to target', async () => {
  const page = await f().get('/programme/practices');
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['cache-control']), /no-store/);
  const words = text(page.body);
  assert.match(words, /3 practices, most ready first/);
  // P81082 has the Lancashire history: record access off on 1 July 2012, so one service to go
  // unless it switched on later in the scenario.
  assert.match(words, /\(P81082\) 0 of 9 (Yes|No) (Yes|No) (Yes|No) (On target|\d services? to go)/);
  // N81001 has no facilitator's history: its states are its settings on GP Online.
  assert.match(words, /\(N81001\) 0 of 9 Yes Yes Yes On target/);
  assert.equal((await f().get('/programme/practices?order=gap')).statusCode, 200);
  assert.equal((await f().get('/programme/practices?order=size')).statusCode, 400);
});

test('a checklist item changed twice: the current state is the latest, both stay in the history', async () => {
  const form = await f().get('/programme/practices/N81001/checklist/clinical-champion');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Clinical champion/);
  const before = await audits('programme.checklist.update');
  const first = await f().submit(
    '/programme/practices/N81001/checklist/clinical-champion',
    '/programme/practices/N81001/checklist/clinical-champion',
    {
      status: 'in-progress',
      'onDate[day]': '3',
      'onDate[month]': '9',
      'onDate[year]': '2012',
      owner: 'Dr Patel',
      notes: 'Agreed at the partners’ meeting',
    },
  );
  assert.equal(first.statusCode, 302);
  assert.equal(first.headers.location, '/programme/practices/N81001?done=checklist');
  await f().submit(
    '/programme/practices/N81001/checklist/clinical-champion',
    '/programme/practices/N81001/checklist/clinical-champion',
    {
      status: 'done',
      owner: 'Dr Patel',
    },
  );
  const page = text((await f().get('/programme/practices/N81001?done=checklist')).body);
  assert.match(page, /Checklist updated/);
  assert.match(page, /1 of 9 elements done or not needed/);
  assert.match(page, /Clinical champion A GP or nurse who leads it in the practice Done Dr Patel/);
  assert.match(page, /Clinical champion Done Fay Facilitator/);
  assert.match(page, /Clinical champion In progress \(3 September 2012\) Fay Facilitator/);
  assert.equal((await audits('programme.checklist.update')) - before, 2);
  assert.match(text((await f().get('/programme/practices')).body), /\(N81001\) 1 of 9/);
});

test('bad checklist input is a 400 naming the field, and writes nothing', async () => {
  const n = await count('checklist_entries');
  const res = await f().submit(
    '/programme/practices/N81001/checklist/funding',
    '/programme/practices/N81001/checklist/funding',
    {
      status: 'finished',
      'onDate[day]': '30',
      'onDate[month]': '2',
      'onDate[year]': '2013',
    },
  );
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Choose where this element is/);
  assert.match(res.body, /Enter a real date/);
  const part = await f().submit(
    '/programme/practices/N81001/checklist/funding',
    '/programme/practices/N81001/checklist/funding',
    {
      status: 'done',
      'onDate[month]': '2',
    },
  );
  assert.equal(part.statusCode, 400);
  assert.equal(await count('checklist_entries'), n);
  assert.equal((await f().get('/programme/practices/N81001/checklist/nonsense')).statusCode, 404);
});

test('the transition plan: saved, changed, earlier versions kept; an empty plan is refused', async () => {
  const empty = await f().submit('/programme/practices/N82001/plan', '/programme/practices/N82001/plan', {});
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter the next steps or the transition plan/);
  const plan = {
    nextSteps: 'Switch on record access after staff training',
    receivingOrg: 'NHS Liverpool CCG (99A)',
    owner: 'Primary care lead',
    'handoverOn[day]': '31',
    'handoverOn[month]': '3',
    'handoverOn[year]': '2014',
    handover: 'Checklist, patient group contacts, open actions',
  };
  assert.equal(
    (await f().submit('/programme/practices/N82001/plan', '/programme/practices/N82001/plan', plan))
      .statusCode,
    302,
  );
  assert.equal(
    (
      await f().submit('/programme/practices/N82001/plan', '/programme/practices/N82001/plan', {
        ...plan,
        receivingOrg: 'NHS Cheshire and Merseyside ICB (QYG)',
      })
    ).statusCode,
    302,
  );
  const page = text((await f().get('/programme/practices/N82001')).body);
  assert.match(page, /Receiving organisation NHS Cheshire and Merseyside ICB \(QYG\)/);
  assert.match(page, /Handover date 31 March 2014/);
  assert.match(
    page,
    /Earlier versions of the plan .* NHS Liverpool CCG \(99A\) 31 March 2014 Fay Facilitator/,
  );
  assert.match(
    text((await f().get('/programme/practices')).body),
    /Switch on record access after staff training 31 March 2014 to NHS Cheshire/,
  );
  assert.equal(await audits('programme.transition-plan.update'), 2);
});

test('a facilitator’s own record of a service switched on counts today and on the dashboard', async () => {
  const res = await f().submit(
    '/programme/practices/N81001/offerings',
    '/programme/practices/N81001/offerings',
    {
      service: 'appointments',
      offered: 'yes',
      'effectiveOn[day]': '1',
      'effectiveOn[month]': '4',
      'effectiveOn[year]': '2013',
      note: 'Seen on the practice website',
    },
  );
  assert.equal(res.statusCode, 302);
  const page = text((await f().get('/programme/practices/N81001')).body);
  assert.match(page, /Appointment booking Yes/);
  assert.match(
    page,
    /1 April 2013 Appointment booking Offered: Seen on the practice website Facilitator \(Fay Facilitator\)/,
  );
  const future = await f().submit(
    '/programme/practices/N81001/offerings',
    '/programme/practices/N81001/offerings',
    {
      service: 'appointments',
      offered: 'no',
      'effectiveOn[day]': '1',
      'effectiveOn[month]': '1',
      'effectiveOn[year]': '2999',
    },
  );
  assert.equal(future.statusCode, 400);
  assert.match(future.body, /must be today or in the past/);
  const ancient = await f().submit(
    '/programme/practices/N81001/offerings',
    '/programme/practices/N81001/offerings',
    {
      service: 'appointments',
      offered: 'no',
      'effectiveOn[day]': '1',
      'effectiveOn[month]': '1',
      'effectiveOn[year]': '0001',
    },
  );
  assert.equal(ancient.statusCode, 400);
  assert.match(ancient.body, /must be in 2000 or later/);
});

test('who may: a commissioner reads but cannot change; other practices and roles are refused', async () => {
  const c = as.commissioner!;
  const page = await c.get('/programme/practices/P81082');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /checklist\/clinical-champion"/);
  assert.equal((await c.get('/programme/practices/P81082/plan')).statusCode, 403);
  assert.equal(
    (await c.submit('/staff/account', '/programme/practices/P81082/plan', { nextSteps: 'x' })).statusCode,
    403,
  );
  // Not in the facilitator's portfolio: not found, as if it did not exist.
  assert.equal((await f().get('/programme/practices/LAN010')).statusCode, 404);
  assert.equal(
    (
      await f().submit('/programme/practices/N81001/plan', '/programme/practices/LAN010/plan', {
        nextSteps: 'x',
      })
    ).statusCode,
    404,
  );
  assert.equal((await as.receptionist!.get('/programme/practices')).statusCode, 403);
});
