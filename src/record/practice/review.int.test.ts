// History charts, who viewed the record, historic-access requests, the review queue, filing,
// bulk enabling and automatic access on linking.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiToken,
  Browser,
  signInStaff,
  testApp,
  type TestApp,
  freshCode,
} from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { importEntries } from '../fhir/import/service.ts';
import { SNOMED, type EntryDraft } from '../model.ts';
import { automaticAccess } from '../access/automatic-rules.ts';
import { applyAutomaticAccess } from '../access/automatic-access.ts';

let t: TestApp;
const gp = DEMO_STAFF[1]!;
const reception = DEMO_STAFF[0]!;
const full = DEMO_PATIENTS[4]!;
const detailed = DEMO_PATIENTS[3]!;

before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
});
after(async () => {
  await t.close();
});

async function signIn(a: (typeof DEMO_PATIENTS)[number]): Promise<Browser> {
  const b = new Browser(t.app);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD });
  await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: await freshCode(t.app, 'patient', a.email, a.totpSecret, t.clock),
  });
  return b;
}
const patientIdOf = async (email: string) =>
  (
    await t.db.db
      .selectFrom('online_accounts')
      .select('patient_id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  ).patient_id ?? '';

test('a result’s history: chart and data table, newest first, with out-of-range flags', async () => {
  const b = await signIn(full);
  const page = await b.get('/patient/record/history?code=1003671000000109');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<svg/);
  assert.match(page.body, /Haemoglobin A1c level: every result/);
  const rows = [...page.body.matchAll(/<td class="nhsuk-table__cell">(\d{1,2} \w+ \d{4})<\/td>/g)].map((m) =>
    new Date(m[1] ?? '').getTime(),
  );
  assert.ok(rows.length > 10);
  assert.deepEqual(
    rows,
    [...rows].sort((a, c) => c - a),
    'newest first',
  );
  assert.match(page.body, /Above normal range/);
  const bp = await b.get('/patient/record/history?code=75367002');
  assert.match(bp.body, /Systolic blood pressure/);
  assert.equal(
    (await b.get('/patient/record/history?code=1000651000000109')).statusCode,
    404,
    'the unfiled potassium result has no history page',
  );
  assert.equal((await b.get('/patient/record/history?code=%3Cscript%3E')).statusCode, 404);
});

test('who has viewed the record lists staff role and practice, and the patient’s own views', async () => {
  const patientId = await patientIdOf(full.email);
  const clinician = await signInStaff(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret);
  await clinician.get(`/staff/patients/${patientId}/record?section=consultations`);
  const b = await signIn(full);
  const page = await b.get('/patient/record/who-viewed');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Clinician, THE RYAN MEDICAL CENTRE/);
  assert.match(page.body, /Consultations in your GP record/);
  const token = await apiToken(t.app, full.email, DEMO_PASSWORD, full.totpSecret);
  const api = await t.app.inject({
    method: 'GET',
    url: '/api/v1/record/access-log',
    headers: { authorization: `Bearer ${token}` },
  });
  const entries = api.json<{ entries: { who: string; where: string | null }[] }>().entries;
  assert.ok(entries.some((e) => e.who === 'Clinician' && e.where === 'THE RYAN MEDICAL CENTRE'));
  assert.doesNotMatch(api.body, /Dr Gina Patel|gp@ryan/, 'staff are named by role, not by name');
});

test('HAZ-06 a patient asks for older records; a clinician grants it only after reviewing the whole record, and older entries appear', async () => {
  const patientId = await patientIdOf(detailed.email);
  const b = await signIn(detailed);
  const before = await b.get('/patient/record/procedures');
  const countBefore = (before.body.match(/data-entry-id=/g) ?? []).length;
  const sent = await b.submit('/patient/record/request-older', '/patient/record/request-older', {
    note: 'I would like to see my asthma history',
  });
  assert.equal(sent.statusCode, 302);
  assert.match((await b.get('/patient/record/request-older')).body, /You asked on/);
  const again = await b.submit('/patient/sign-out', '/patient/record/request-older', { note: '' });
  assert.equal(again.statusCode, 409);

  const rec = await signInStaff(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret);
  assert.equal(
    (
      await rec.submit('/staff/sign-out', `/staff/patients/${patientId}/record/historic-access`, {
        decision: 'granted',
      })
    ).statusCode,
    403,
  );
  const clinician = await signInStaff(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret);
  const queue = await clinician.get('/staff/review');
  assert.match(queue.body, /asthma history/);
  // The demo reviewed this record when it was loaded; here nobody has.
  await t.db.db
    .updateTable('record_controls')
    .set({ whole_record_reviewed_at: null, whole_record_reviewed_by: null })
    .where('patient_id', '=', patientId)
    .execute();
  const refuseWithoutNote = await clinician.submit(
    '/staff/review',
    `/staff/patients/${patientId}/record/historic-access`,
    { decision: 'refused', note: '' },
  );
  assert.equal(refuseWithoutNote.statusCode, 400);
  // Not before the whole record has been reviewed: the grant is refused and nothing changes.
  const unreviewed = await clinician.submit(
    '/staff/review',
    `/staff/patients/${patientId}/record/historic-access`,
    { decision: 'granted', note: '' },
  );
  assert.equal(unreviewed.statusCode, 409);
  assert.match(unreviewed.body, /Review the whole record before giving access to older records/);
  assert.match((await clinician.get('/staff/review')).body, /asthma history/, 'the request is still open');
  const recordPage = await clinician.get(`/staff/patients/${patientId}/record`);
  assert.match(recordPage.body, /has not been reviewed for online access/);
  const marked = await clinician.submit(
    `/staff/patients/${patientId}/record`,
    `/staff/patients/${patientId}/record/reviewed`,
    { back: 'record' },
  );
  assert.equal(marked.statusCode, 302);
  assert.match(
    (await clinician.get(`/staff/patients/${patientId}/record`)).body,
    /last reviewed for online access on/,
  );
  const granted = await clinician.submit(
    '/staff/review',
    `/staff/patients/${patientId}/record/historic-access`,
    { decision: 'granted', note: '' },
  );
  assert.equal(granted.statusCode, 302);
  const afterPage = await b.get('/patient/record/procedures');
  assert.ok(
    (afterPage.body.match(/data-entry-id=/g) ?? []).length > countBefore,
    'older procedures now show',
  );
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('action')
    .where('patient_id', '=', patientId)
    .where('action', 'like', 'record.historic-access-%')
    .execute();
  assert.deepEqual(audit.map((a) => a.action).sort(), [
    'record.historic-access-granted',
    'record.historic-access-requested',
  ]);
});

test('the review queue: filing a result shows it to the patient; a document can be hidden as it is reviewed', async () => {
  const patientId = await patientIdOf(full.email);
  const clinician = await signInStaff(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret);
  const queue = await clinician.get('/staff/review');
  const potassium = await t.db.db
    .selectFrom('record_entries')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('unfiled', '=', true)
    .executeTakeFirstOrThrow();
  const letter = await t.db.db
    .selectFrom('record_entries')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('unreviewed', '=', true)
    .executeTakeFirstOrThrow();
  assert.match(queue.body, new RegExp(`data-entry-id="${potassium.id}"`));
  assert.equal(
    (await clinician.submit('/staff/review', `/staff/review/entries/${potassium.id}`, {})).statusCode,
    302,
  );
  const hideNoReason = await clinician.submit('/staff/review', `/staff/review/entries/${letter.id}`, {
    hide: 'yes',
    reason: '',
  });
  assert.equal(hideNoReason.statusCode, 400);
  assert.equal(
    (
      await clinician.submit('/staff/review', `/staff/review/entries/${letter.id}`, {
        hide: 'yes',
        reason: 'third-party',
      })
    ).statusCode,
    302,
  );
  const b = await signIn(full);
  assert.match((await b.get('/patient/record/test-results')).body, /Serum potassium level/);
  assert.doesNotMatch((await b.get('/patient/record/documents')).body, /Discharge summary/);
  const marked = await clinician.submit('/staff/review', `/staff/patients/${patientId}/record/reviewed`, {});
  assert.equal(marked.statusCode, 302);
  const after = await clinician.get('/staff/review');
  assert.doesNotMatch(after.body, new RegExp(`/staff/patients/${patientId}/record/reviewed`));
});

test('HAZ-18 results to file show each value with its unit, the normal range and whether it is abnormal, before filing', async () => {
  const patientId = await patientIdOf(detailed.email);
  const result = (
    source: string,
    title: string,
    m: {
      value: number | null;
      valueText?: string;
      low: number | null;
      high: number | null;
      interpretation: string | null;
    },
  ): EntryDraft => ({
    kind: 'result',
    source: { system: 'test', id: source },
    clinicalDate: '2026-11-20',
    recordedAt: '2026-11-20T10:00:00Z',
    coding: [{ system: SNOMED, code: '1000651000000109', display: title }],
    title,
    text: null,
    consultationSource: null,
    draft: false,
    unfiled: true,
    unreviewed: false,
    details: {
      kind: 'result',
      measurement: { valueText: null, unit: 'mmol/L', ...m },
      components: [],
      reportId: null,
      category: 'laboratory',
    },
  });
  await importEntries(
    { db: t.db.db, clock: t.clock, meta: null },
    { kind: 'system' },
    {
      practiceOds: 'P81082',
      patientId,
      entries: [
        result('low-sodium', 'Serum sodium level', { value: 128, low: 133, high: 146, interpretation: null }),
        result('normal-urea', 'Serum urea level', { value: 5.1, low: 2.5, high: 7.8, interpretation: null }),
        result('abnormal-film', 'Blood film', {
          value: null,
          valueText: 'Target cells seen',
          low: null,
          high: null,
          interpretation: 'A',
        }),
        result('no-range', 'Serum ferritin level', {
          value: 40,
          low: null,
          high: null,
          interpretation: null,
        }),
      ],
    },
  );
  const clinician = await signInStaff(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret);
  const queue = (await clinician.get('/staff/review')).body;
  /** The text of one result's item in the queue, tags and markup removed. */
  const item = (title: string) => {
    const at = queue.indexOf(`<strong>${title}</strong>`);
    assert.ok(at > 0, `${title} is in the queue`);
    return queue
      .slice(at, queue.indexOf('</li>', at))
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
  };
  const potassium = item('Serum potassium level');
  assert.match(potassium, /5\.9 mmol\/L/);
  assert.match(potassium, /Normal range: 3\.5 to 5\.3 mmol\/L/);
  assert.match(potassium, /Above normal range/);
  assert.match(
    item('Serum sodium level'),
    /128 mmol\/L .*Normal range: 133 to 146 mmol\/L .*Below normal range/,
  );
  const urea = item('Serum urea level');
  assert.match(urea, /5\.1 mmol\/L .*Within normal range/);
  assert.doesNotMatch(urea, /Above|Below|Outside/);
  assert.match(item('Blood film'), /Target cells seen .*Normal range: not given .*Outside normal range/);
  assert.match(
    item('Serum ferritin level'),
    /40 mmol\/L .*Normal range: not given .*No normal range to compare with/,
  );
  assert.match(
    queue,
    /class="nhsuk-tag nhsuk-tag--red"[^>]*>\s*Above normal range/,
    'shown as a tag, not only in words',
  );
});

test('bulk enable: eligible patients with linked accounts get full access; exclusions are counted by reason', async () => {
  const manager = DEMO_STAFF.find((s) => s.role === 'practice-manager')!;
  const b = await signInStaff(t.app, manager.email, DEMO_PASSWORD, manager.totpSecret);
  const r = await b.submit('/staff/record-access', '/staff/record-access', {});
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /patients now have prospective full access/);
  const levels = await t.db.db
    .selectFrom('online_accounts as a')
    .innerJoin('online_services as s', 's.patient_id', 'a.patient_id')
    .select(['s.record_level', 's.record_level_by_hand as by_hand'])
    .where('a.practice_ods', '=', 'P81082')
    .execute();
  // Everyone but those whose level staff set by hand (HAZ-08): their decision stands.
  assert.ok(levels.filter((l) => !l.by_hand).every((l) => l.record_level === 'full'));
  assert.ok(
    levels.some((l) => l.by_hand && l.record_level !== 'full'),
    'a hand-set level is left',
  );
  assert.match(r.body, /Record access set by a member of staff \(left as it is\)/);
  assert.equal(
    (await b.submit('/staff/record-access', '/staff/record-access', {})).body.match(/0 patients now have/)
      ?.length,
    1,
    'a second run changes nothing',
  );
});

test('the bulk-enable page is refused to a receptionist, who may not use it, before they fill it in', async () => {
  const b = await signInStaff(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret);
  assert.equal((await b.get('/staff/record-access')).statusCode, 403);
});

test('automatic access on linking follows the 104/106/103 codes and age', async () => {
  const p = await t.db.db
    .selectFrom('patients')
    .select(['id', 'birth_date'])
    .where('practice_ods', '=', 'N81001')
    .where('birth_date', '<', '2000-01-01')
    .executeTakeFirstOrThrow();
  const outcome = await t.db.db
    .transaction()
    .execute((tx) =>
      applyAutomaticAccess(tx, { practiceOds: 'N81001', patientId: p.id, trigger: 'linked' }, t.clock.now()),
    );
  assert.ok(outcome === 'enable' || outcome === 'already-full');
  const s = await t.db.db
    .selectFrom('online_services')
    .select(['record_level', 'prospective_from'])
    .where('patient_id', '=', p.id)
    .executeTakeFirstOrThrow();
  assert.equal(s.record_level, 'full');
  assert.equal(
    automaticAccess({
      birthDate: '2015-01-01',
      today: '2026-11-25',
      level: 'none',
      levelSetByHand: false,
      trigger: 'linked',
      codes: [],
    }),
    'under-16',
  );
});
