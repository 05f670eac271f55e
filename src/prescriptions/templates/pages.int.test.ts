// The practice's repeat pages and settings: a clinician makes a repeat from a record medicine,
// changes, re-authorises and ends it through the forms, each mistake named at its own field;
// receptionists only look; the practice manager saves the settings, on the version read.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  apiToken,
  fixedClock,
  signInStaff,
  testApp,
  type Browser,
  type TestApp,
} from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { createRepeat } from './service.ts';

const clock = fixedClock('2026-12-02T10:00:00Z');
let t: TestApp;
const who = (role: string) => DEMO_STAFF.find((s) => s.role === role && s.practiceOds === 'P81082')!;
let patientId = '';
const entryId = randomUUID();
let gp: Browser;

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  const row = await t.db.db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', 'P81082')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  patientId = row.id;
  await t.db.db
    .insertInto('record_entries')
    .values({
      id: entryId,
      practice_ods: 'P81082',
      patient_id: patientId,
      kind: 'medication',
      source_system: null,
      source_id: null,
      clinical_date: '2026-01-05',
      recorded_at: clock.now(),
      sort_key: '2026-01-05',
      coding: JSON.stringify([
        { system: 'https://dmd.nhs.uk', code: '42100111009', display: 'Pagetestine 5mg tablets' },
      ]),
      title: 'Pagetestine 5mg tablets',
      text: null,
      consultation_id: null,
      draft: false,
      unfiled: false,
      unreviewed: false,
      visible_online: true,
      imported_at: clock.now(),
      updated_at: clock.now(),
      details: JSON.stringify({
        kind: 'medication',
        prescriptionType: 'repeat',
        status: 'current',
        dosage: 'One tablet each morning',
        quantity: 28,
        quantityUnit: 'tablet',
        issuesAuthorised: null,
        issuesDone: null,
        reviewDate: null,
        lastIssued: null,
      }),
    })
    .execute();
  const s = who('clinician');
  gp = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
});
after(async () => {
  await t.close();
});

const page = (b: Browser, url: string) => b.get(url);

test('a clinician makes a repeat from the record through the form, a mistake named first', async () => {
  const list = await page(gp, `/staff/patients/${patientId}/prescriptions`);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Pagetestine 5mg tablets<\/strong>: One tablet each morning, 28 tablets/);
  const newUrl = `/staff/patients/${patientId}/prescriptions/new?entry=${entryId}`;
  assert.ok(list.body.includes(newUrl.replace('?', '?').replace(/&/g, '&amp;')));
  const form = await page(gp, newUrl);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /value="28"/);
  assert.match(form.body, /dm\+d 42100111009/);
  const fields = {
    recordEntryId: entryId,
    prescriptionType: 'repeat',
    dosage: 'One tablet each morning',
    quantity: '28',
    quantityUnit: 'tablet',
    daysPerIssue: '',
    issuesAuthorised: '6',
    reviewDate: '2027-03-01',
    repeatUntil: '',
    onlineOrderable: 'yes',
  };
  const wrong = await gp.submit(newUrl, `/staff/patients/${patientId}/prescriptions`, fields);
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /href="#daysPerIssue">\s*Days each issue lasts must be a whole number/);
  assert.equal(
    await t.db.db
      .selectFrom('repeat_templates')
      .select('id')
      .where('record_entry_id', '=', entryId)
      .executeTakeFirst(),
    undefined,
  );
  const ok = await gp.submit(newUrl, `/staff/patients/${patientId}/prescriptions`, {
    ...fields,
    daysPerIssue: '28',
  });
  assert.equal(ok.statusCode, 302, ok.body);
  const after_ = await page(gp, ok.headers.location as string);
  assert.match(after_.body, /The repeat was created\./);
  assert.match(after_.body, /0 of 6 issues made/);
  assert.match(after_.body, /1 March 2027/);
});

test('change, re-authorise and end through the repeat page, each form naming its own field', async () => {
  const tpl = await t.db.db
    .selectFrom('repeat_templates')
    .select('id')
    .where('record_entry_id', '=', entryId)
    .executeTakeFirstOrThrow();
  const url = `/staff/patients/${patientId}/prescriptions/${tpl.id}`;
  const shown = await page(gp, url);
  assert.equal(shown.statusCode, 200);
  const change = {
    version: '1',
    dosage: 'Two tablets each morning',
    quantity: '56',
    quantityUnit: 'tablet',
    daysPerIssue: '28',
    reviewDate: '2027-03-01',
    repeatUntil: '',
    onlineOrderable: 'yes',
  };
  const noReason = await gp.submit(url, `${url}/change`, { ...change, reason: '' });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /href="#reason"/);
  const changed = await gp.submit(url, `${url}/change`, { ...change, reason: 'Dose doubled' });
  assert.equal(changed.statusCode, 302);
  const history = await page(gp, changed.headers.location as string);
  assert.match(history.body, /The repeat was changed\./);
  assert.match(history.body, /Quantity: 28 to 56/);
  assert.match(history.body, /Dose doubled/);
  const badAuth = await gp.submit(url, `${url}/reauthorise`, {
    version: '2',
    issuesAuthorised: '0',
    newReviewDate: '2026-12-02',
    reauthoriseReason: '',
  });
  assert.equal(badAuth.statusCode, 400);
  assert.match(badAuth.body, /href="#issuesAuthorised"/);
  assert.match(badAuth.body, /href="#newReviewDate"/);
  assert.match(badAuth.body, /href="#reauthoriseReason"/);
  const reauth = await gp.submit(url, `${url}/reauthorise`, {
    version: '2',
    issuesAuthorised: '12',
    newReviewDate: '',
    reauthoriseReason: 'Reviewed',
  });
  assert.equal(reauth.statusCode, 302);
  const noAction = await gp.submit(url, `${url}/status`, { version: '3', statusReason: 'Stopped' });
  assert.equal(noAction.statusCode, 400);
  assert.match(noAction.body, /href="#action"/);
  const ended = await gp.submit(url, `${url}/status`, {
    version: '3',
    action: 'end',
    statusReason: 'Stopped by the hospital',
  });
  assert.equal(ended.statusCode, 302);
  const last = await page(gp, ended.headers.location as string);
  assert.match(last.body, /The repeat was ended\./);
  assert.match(last.body, /Ended: Stopped by the hospital/);
  assert.doesNotMatch(last.body, /Save change/, 'an ended repeat has no forms');
  // A page left open from before: its version is stale (the form is fetched from the new-repeat page for its CSRF token).
  const stale = await gp.submit(
    `/staff/patients/${patientId}/prescriptions/new?entry=${entryId}`,
    `${url}/change`,
    {
      ...change,
      version: '1',
      reason: 'Old page',
    },
  );
  assert.equal(stale.statusCode, 409);
});

test('a receptionist sees the repeats but cannot make or change one', async () => {
  const s = who('receptionist');
  const b = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  const list = await page(b, `/staff/patients/${patientId}/prescriptions`);
  assert.equal(list.statusCode, 200);
  assert.doesNotMatch(list.body, /Make a repeat/);
  assert.equal(
    (await page(b, `/staff/patients/${patientId}/prescriptions/new?entry=${entryId}`)).statusCode,
    403,
  );
  assert.equal((await page(b, `/staff/patients/${randomUUID()}/prescriptions`)).statusCode, 404);
});

test('settings page: the practice manager saves, a mistake is named, a clinician only reads', async () => {
  const s = who('practice-manager');
  const m = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  const url = '/staff/prescriptions/settings';
  const shown = await page(m, url);
  assert.equal(shown.statusCode, 200);
  const version = /name="version" value="(\d+)"/.exec(shown.body)?.[1] ?? '';
  const bad = await m.submit(url, url, {
    version,
    onlineOrdering: 'yes',
    turnaroundDays: '0',
    orderWindowDays: '7',
    earlyReasonRequired: 'yes',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#turnaroundDays"/);
  const ok = await m.submit(url, url, {
    version,
    onlineOrdering: 'no',
    turnaroundDays: '3',
    orderWindowDays: '5',
    earlyReasonRequired: 'no',
  });
  assert.equal(ok.statusCode, 302);
  assert.match((await page(m, ok.headers.location as string)).body, /The prescription settings were saved\./);
  const stale = await m.submit(url, url, {
    version,
    onlineOrdering: 'yes',
    turnaroundDays: '2',
    orderWindowDays: '7',
    earlyReasonRequired: 'yes',
  });
  assert.equal(stale.statusCode, 409);
  const read = await page(gp, url);
  assert.equal(read.statusCode, 200);
  assert.match(read.body, /3 working days/);
  assert.match(read.body, /Only the practice manager can change these/);
});

test('settings API: the defaults until saved, saved by the practice manager on the version read', async () => {
  // Whatever the demo or the page test saved, this practice starts again from no saved settings.
  const mgr = await apiToken(
    t.app,
    who('practice-manager').email,
    DEMO_PASSWORD,
    who('practice-manager').totpSecret,
    clock,
  );
  const gpToken = await apiToken(
    t.app,
    who('clinician').email,
    DEMO_PASSWORD,
    who('clinician').totpSecret,
    clock,
  );
  const tokens: Record<string, string> = { manager: mgr, gp: gpToken };
  const call = (as: string, method: 'GET' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[as] ?? ''}` },
      ...(payload ? { payload } : {}),
    });
  await t.db.db.deleteFrom('prescription_settings').where('practice_ods', '=', 'P81082').execute();
  const first = await call('manager', 'GET', '/api/v1/practice/prescriptions/settings');
  assert.deepEqual(first.json(), {
    onlineOrdering: true,
    turnaroundDays: 2,
    orderWindowDays: 7,
    earlyReasonRequired: true,
    version: 0,
    canChange: true,
  });
  const body = {
    onlineOrdering: true,
    turnaroundDays: 3,
    orderWindowDays: 10,
    earlyReasonRequired: false,
    version: 0,
  };
  assert.equal((await call('gp', 'PUT', '/api/v1/practice/prescriptions/settings', body)).statusCode, 403);
  assert.equal(
    (await call('manager', 'PUT', '/api/v1/practice/prescriptions/settings', { ...body, turnaroundDays: 11 }))
      .statusCode,
    400,
  );
  const saved = await call('manager', 'PUT', '/api/v1/practice/prescriptions/settings', body);
  assert.equal(saved.statusCode, 200, saved.body);
  assert.equal(saved.json<{ version: number }>().version, 1);
  const stale = await call('manager', 'PUT', '/api/v1/practice/prescriptions/settings', {
    ...body,
    turnaroundDays: 1,
  });
  assert.equal(stale.statusCode, 409);
  const seen = await call('gp', 'GET', '/api/v1/practice/prescriptions/settings');
  assert.deepEqual(seen.json(), { ...body, version: 1, canChange: false });
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .select('outcome')
    .where('action', '=', 'prescriptions.settings.update')
    .execute();
  assert.equal(
    audit.filter((a) => a.outcome === 'success').length,
    2,
    'the page test saved once, this test once',
  );
  assert.ok(audit.filter((a) => a.outcome === 'failure').length >= 2, 'the refused saves are audited too');
});

test('midnight in summer time: just after midnight in England is already the next day for the review date', async () => {
  const s = who('clinician');
  const staff = await t.db.db
    .selectFrom('staff_users')
    .select('id')
    .where('email', '=', s.email)
    .executeTakeFirstOrThrow();
  const actor = {
    kind: 'staff' as const,
    staffId: staff.id,
    email: s.email,
    name: s.name,
    role: 'clinician' as const,
    practiceOds: 'P81082',
    commissionerCode: null,
  };
  // 23:30 UTC on 30 June is 00:30 on 1 July in London.
  const ctx = { db: t.db.db, clock: fixedClock('2027-06-30T23:30:00Z'), meta: null };
  await t.db.db
    .updateTable('repeat_templates')
    .set({ status: 'ended' })
    .where('record_entry_id', '=', entryId)
    .execute();
  const input = {
    patientId,
    recordEntryId: entryId,
    daysPerIssue: 28,
    issuesAuthorised: 6,
    repeatUntil: null,
    onlineOrderable: true,
  };
  await assert.rejects(
    createRepeat(ctx, actor, { ...input, reviewDate: '2027-07-01' }),
    /review date must be after today/,
  );
  const made = await createRepeat(ctx, actor, {
    ...input,
    reviewDate: '2027-07-02',
    repeatUntil: '2027-07-01',
  });
  assert.equal(made.authorisedOn, '2027-07-01');
});
