// Record access made safe to switch on (issue #8), through the real app: the access codes stay
// private, free text stays at full access, a raised level starts its own date, historic access
// needs a review, a bulk enable leaves hand-set levels, the 16th-birthday run catches up, and a
// changed entry belongs to the patient in the URL. Hazard ids: docs/clinical-safety/hazard-log.md.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { apiToken, signInStaff, testApp, type TestApp } from '../../../test/support/harness.ts';
import { recordViaApi } from '../../../test/support/record-api.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { addDays, englandDay, startOfEnglandDay } from '../../platform/dates.ts';
import { claimDailyRunSince, releaseDailyRun } from '../../platform/db/jobs.ts';
import { applyBirthdayAccess } from './automatic-access.ts';
import { SNOMED, type EntryDraft } from '../model.ts';
import { CODE_ENHANCED_REVIEW } from './automatic-rules.ts';
import { upsertEntries } from '../store.ts';

let t: TestApp;
let gpToken: string;
const gp = DEMO_STAFF[1]!;
const detailed = DEMO_PATIENTS[3]!;
const full = DEMO_PATIENTS[4]!;
const p5 = DEMO_PATIENTS[1]!;

before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  gpToken = await apiToken(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret);
});
after(async () => {
  await t.close();
});

const patientOf = async (email: string) =>
  t.db.db
    .selectFrom('online_accounts as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .select(['p.id', 'p.nhs_number', 'p.practice_ods'])
    .where('a.email', '=', email)
    .executeTakeFirstOrThrow();
const patientToken = (a: (typeof DEMO_PATIENTS)[number]) =>
  apiToken(t.app, a.email, DEMO_PASSWORD, a.totpSecret);
const asGp = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${gpToken}` },
    ...(payload ? { payload } : {}),
  });
const services = async (id: string) =>
  t.db.db.selectFrom('online_services').selectAll().where('patient_id', '=', id).executeTakeFirstOrThrow();

function draft(over: Partial<EntryDraft> & Pick<EntryDraft, 'kind' | 'details'>): EntryDraft {
  return {
    source: { system: 'safety-test', id: randomUUID() },
    clinicalDate: englandDay(t.clock.now()),
    recordedAt: t.clock.now().toISOString(),
    coding: [{ system: SNOMED, code: '1000731000000107', display: 'Serum cholesterol level' }],
    title: 'Serum cholesterol level',
    text: null,
    consultationSource: null,
    draft: false,
    unfiled: false,
    unreviewed: false,
    ...over,
  };
}
async function addEntries(patientId: string, practiceOds: string, drafts: EntryDraft[]) {
  await t.db.db
    .transaction()
    .execute((tx) =>
      upsertEntries(tx, { practiceOds, patientId, drafts, ids: randomUUID, now: t.clock.now() }),
    );
}

test('HAZ-03 the enhanced-review code is in the record but in no answer to the patient', async () => {
  const p = await patientOf(full.email);
  await addEntries(p.id, p.practice_ods, [
    draft({
      kind: 'administrative',
      coding: [{ system: SNOMED, code: CODE_ENHANCED_REVIEW, display: 'Enhanced review indicated' }],
      title: 'Enhanced review indicated before granting access to own health record',
      details: { kind: 'administrative' },
    }),
  ]);
  const token = await patientToken(full);
  const api = await recordViaApi(t.app, token);
  assert.equal(api.status, 200);
  assert.ok(api.sections.length > 0);
  const exported = await t.app.inject({
    method: 'GET',
    url: '/api/v1/record/export',
    headers: { authorization: `Bearer ${token}` },
  });
  for (const body of [api.body, exported.body]) {
    assert.doesNotMatch(body, new RegExp(CODE_ENHANCED_REVIEW));
    assert.doesNotMatch(body, /Enhanced review indicated/);
  }
  const staffView = await asGp('GET', `/api/v1/practice/patients/${p.nhs_number}/record`);
  assert.match(staffView.body, new RegExp(CODE_ENHANCED_REVIEW), 'the practice still sees it');
});

test('HAZ-02 a result written as text shows at detailed access as its coded entry, without the text', async () => {
  const p = await patientOf(detailed.email);
  await addEntries(p.id, p.practice_ods, [
    draft({
      kind: 'result',
      text: 'Comment: FREE-TEXT-COMMENT',
      details: {
        kind: 'result',
        measurement: {
          value: null,
          valueText: 'FREE-TEXT-VALUE her brother is worried',
          valueCoded: false,
          unit: null,
          low: null,
          high: null,
          interpretation: 'FREE-TEXT-INTERPRETATION',
        },
        components: [],
        reportId: null,
        category: 'laboratory',
      },
    }),
  ]);
  const api = await recordViaApi(t.app, await patientToken(detailed));
  const results = api.sections.find((s) => s.heading === 'test-results')?.entries ?? [];
  assert.ok(
    results.some((e) => JSON.stringify(e).includes('Serum cholesterol level')),
    'the coded entry shows',
  );
  assert.doesNotMatch(api.body, /FREE-TEXT-/);
});

test('HAZ-04 raising detailed to full starts free text and documents today; coded entries already shown stay', async () => {
  const p = await patientOf(detailed.email);
  const token = await patientToken(detailed);
  const before = await recordViaApi(t.app, token);
  const coded = before.sections.flatMap((s) => s.entries).map((e) => e.id);
  assert.ok(coded.length > 10);
  const s = await services(p.id);
  assert.equal(s.detailed_from, '2023-10-31');
  const r = await asGp('PATCH', `/api/v1/practice/patients/${p.id}/online-services`, {
    version: s.version,
    record_level: 'full',
    prospective_from: s.prospective_from,
    reason: 'Patient asked for the full record',
  });
  assert.equal(r.statusCode, 200, r.body);
  const today = englandDay(t.clock.now());
  assert.equal(r.json<{ full_from: string }>().full_from, today);
  assert.equal((await services(p.id)).detailed_from, '2023-10-31', 'the coded record keeps its date');
  const afterRaise = await recordViaApi(t.app, token);
  const entries = afterRaise.sections.flatMap((s) => s.entries);
  for (const id of coded)
    assert.ok(
      entries.some((e) => e.id === id),
      'what was shown stays shown',
    );
  assert.equal(
    afterRaise.sections.find((s) => s.heading === 'documents'),
    undefined,
    'no letter from before today',
  );
  const startOfToday = startOfEnglandDay(today).getTime();
  const olderWithText = entries.filter(
    (e) => Date.parse(String(e.recorded_at)) < startOfToday && e.text !== null,
  );
  assert.deepEqual(olderWithText, [], 'no free text recorded before today');
  // Something written today does show its text.
  await addEntries(p.id, p.practice_ods, [
    draft({
      kind: 'procedure',
      coding: [{ system: SNOMED, code: '80146002', display: 'Appendicectomy' }],
      title: 'Appendicectomy',
      text: 'TODAY-NOTE healed well',
      details: { kind: 'procedure', status: 'completed', performer: null },
    }),
  ]);
  assert.match((await recordViaApi(t.app, token)).body, /TODAY-NOTE healed well/);
});

test('HAZ-06 historic access through online services is refused until the record is reviewed, and again after new entries', async () => {
  const p = await patientOf(detailed.email);
  const grant = async () =>
    asGp('PATCH', `/api/v1/practice/patients/${p.id}/online-services`, {
      version: (await services(p.id)).version,
      historic_access: true,
      reason: 'Older records',
    });
  await t.db.db.deleteFrom('record_controls').where('patient_id', '=', p.id).execute();
  const refused = await grant();
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /record-not-reviewed/);
  assert.equal((await services(p.id)).historic_access, false);
  // Clearing new imports from the review queue is not a whole-record review.
  const clinician = await signInStaff(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret);
  const queue = await clinician.submit('/staff/review', `/staff/patients/${p.id}/record/reviewed`, {});
  assert.equal(queue.statusCode, 302);
  assert.equal((await grant()).statusCode, 409, 'the queue’s "mark reviewed" does not open older records');
  // Nor may a typed start date earlier than today stand in for historic access.
  const s = await services(p.id);
  const typed = await asGp('PATCH', `/api/v1/practice/patients/${p.id}/online-services`, {
    version: s.version,
    prospective_from: '2001-01-01',
  });
  assert.equal(typed.statusCode, 409);
  assert.equal((await services(p.id)).prospective_from, s.prospective_from);
  const reviewed = await asGp('POST', `/api/v1/practice/patients/${p.nhs_number}/record/review`);
  assert.equal(reviewed.statusCode, 200, reviewed.body);
  // An entry arrives after the review: the review no longer covers the record.
  t.clock.advance?.(1000);
  await addEntries(p.id, p.practice_ods, [
    draft({ kind: 'procedure', details: { kind: 'procedure', status: null, performer: null } }),
  ]);
  const stale = await grant();
  assert.equal(stale.statusCode, 409);
  assert.match(stale.body, /record-changed-since-review/);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(
    (await asGp('POST', `/api/v1/practice/patients/${p.nhs_number}/record/review`)).statusCode,
    200,
  );
  const ok = await grant();
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal((await services(p.id)).historic_access, true);
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('action')
    .where('patient_id', '=', p.id)
    .where('action', '=', 'record.whole-record-reviewed')
    .execute();
  assert.equal(audit.length, 3, 'each review is audited (the demo’s, then these two)');
});

test('HAZ-01 an entry changed through another patient’s URL is not found, and nothing changes', async () => {
  const a = await patientOf(full.email);
  const b = await patientOf(detailed.email);
  const entry = await t.db.db
    .selectFrom('record_entries')
    .select(['id', 'visible_online'])
    .where('patient_id', '=', a.id)
    .where('visible_online', '=', true)
    .executeTakeFirstOrThrow();
  const r = await asGp('PATCH', `/api/v1/practice/patients/${b.nhs_number}/record/entries/${entry.id}`, {
    visible: false,
    reason: 'third-party',
  });
  assert.equal(r.statusCode, 404);
  const still = await t.db.db
    .selectFrom('record_entries')
    .select('visible_online')
    .where('id', '=', entry.id)
    .executeTakeFirstOrThrow();
  assert.equal(still.visible_online, true);
  const right = await asGp('PATCH', `/api/v1/practice/patients/${a.nhs_number}/record/entries/${entry.id}`, {
    visible: false,
    reason: 'third-party',
  });
  assert.equal(right.statusCode, 200);
});

test('HAZ-05 the 16th-birthday run catches up on missed days and starts access on the birthday', async () => {
  const p = await patientOf(p5.email);
  const today = englandDay(t.clock.now());
  const birthday = addDays(today, -3);
  const born = `${String(Number(birthday.slice(0, 4)) - 16)}${birthday.slice(4)}`;
  await t.db.db.updateTable('patients').set({ birth_date: born }).where('id', '=', p.id).execute();
  await t.db.db
    .updateTable('online_services')
    .set({
      record_level: 'none',
      prospective_from: null,
      detailed_from: null,
      full_from: null,
      record_level_by_hand: false,
    })
    .where('patient_id', '=', p.id)
    .execute();
  const ctx = { db: t.db.db, clock: t.clock, meta: null };
  // A run that only looks at today misses the birthday three days ago.
  await applyBirthdayAccess(ctx, addDays(today, -1));
  assert.equal((await services(p.id)).record_level, 'none');
  // The run after a gap of five days covers each of them.
  const r = await applyBirthdayAccess(ctx, addDays(today, -5));
  assert.ok(r.enabled >= 1);
  const s = await services(p.id);
  assert.equal(s.record_level, 'full');
  assert.deepEqual([s.prospective_from, s.detailed_from, s.full_from], [birthday, birthday, birthday]);
  assert.equal(s.record_level_by_hand, false);
});

test('HAZ-05 the daily claim gives each run the day of the one before, once per day across processes', async () => {
  const name = `test-${randomUUID()}`;
  assert.deepEqual(await claimDailyRunSince(t.db.db, name, '2026-11-28'), { previous: null });
  assert.equal(await claimDailyRunSince(t.db.db, name, '2026-11-28'), null, 'claimed once a day');
  assert.deepEqual(await claimDailyRunSince(t.db.db, name, '2026-12-01'), { previous: '2026-11-28' });
  // A run that could not do everyone gives its day back: the next run covers the same days.
  await releaseDailyRun(t.db.db, name, '2026-12-01', '2026-11-28');
  assert.deepEqual(await claimDailyRunSince(t.db.db, name, '2026-12-01'), { previous: '2026-11-28' });
});
