// Changes at the same moment (run on PostgreSQL too: PGlite runs one query at a time): one
// change per version of a repeat, one repeat per record medicine, one save per settings version.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { apiToken, fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';

const clock = fixedClock('2026-12-02T10:00:00Z');
let t: TestApp;
let token = '';
let managerToken = '';
let patientId = '';
const entryId = randomUUID();

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  const gp = DEMO_STAFF.find((s) => s.role === 'clinician' && s.practiceOds === 'P81082')!;
  const mgr = DEMO_STAFF.find((s) => s.role === 'practice-manager' && s.practiceOds === 'P81082')!;
  token = await apiToken(t.app, gp.email, DEMO_PASSWORD, gp.totpSecret, clock);
  managerToken = await apiToken(t.app, mgr.email, DEMO_PASSWORD, mgr.totpSecret, clock);
  patientId = (
    await t.db.db
      .selectFrom('patients')
      .select('id')
      .where('practice_ods', '=', 'P81082')
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
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
      coding: JSON.stringify([]),
      title: 'Racetamol 500mg tablets',
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
        dosage: 'Two tablets four times a day',
        quantity: 100,
        quantityUnit: 'tablet',
        issuesAuthorised: null,
        issuesDone: null,
        reviewDate: null,
        lastIssued: null,
      }),
    })
    .execute();
});
after(async () => {
  await t.close();
});

const call = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object, as = token) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${as}` }, payload });

test('eight clinicians make a repeat of the same medicine at once: one repeat', async () => {
  const answers = await Promise.all(
    Array.from({ length: 8 }, () =>
      call('POST', `/api/v1/practice/patients/${patientId}/repeats`, {
        recordEntryId: entryId,
        daysPerIssue: 28,
        issuesAuthorised: 6,
        reviewDate: null,
        repeatUntil: null,
        onlineOrderable: true,
      }),
    ),
  );
  assert.deepEqual(answers.map((a) => a.statusCode).sort(), [201, ...Array<number>(7).fill(409)]);
  const rows = await t.db.db
    .selectFrom('repeat_templates')
    .select('id')
    .where('record_entry_id', '=', entryId)
    .execute();
  assert.equal(rows.length, 1);
  const history = await t.db.db
    .selectFrom('repeat_template_changes')
    .select('id')
    .where('template_id', '=', rows[0]!.id)
    .execute();
  assert.equal(history.length, 1, 'one created row, nothing half-written by the others');
});

test('eight changes of the same version at once: one lands, seven are told it changed', async () => {
  const tpl = await t.db.db
    .selectFrom('repeat_templates')
    .select(['id', 'version'])
    .where('record_entry_id', '=', entryId)
    .executeTakeFirstOrThrow();
  const answers = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      call('PATCH', `/api/v1/practice/repeats/${tpl.id}`, {
        version: tpl.version,
        reason: `Change ${String(i)}`,
        quantity: 10 + i,
      }),
    ),
  );
  assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, ...Array<number>(7).fill(409)]);
  const changes = await t.db.db
    .selectFrom('repeat_template_changes')
    .select('version')
    .where('template_id', '=', tpl.id)
    .orderBy('version')
    .execute();
  assert.deepEqual(
    changes.map((c) => c.version),
    [1, 2],
  );
  const stored = await t.db.db
    .selectFrom('repeat_templates')
    .select(['quantity', 'version'])
    .where('id', '=', tpl.id)
    .executeTakeFirstOrThrow();
  const winner = answers.find((a) => a.statusCode === 200)!.json<{ quantity: number }>();
  assert.deepEqual(stored, { quantity: String(winner.quantity), version: 2 });
});

test('six saves of the settings from the same version at once: one lands', async () => {
  await t.db.db.deleteFrom('prescription_settings').where('practice_ods', '=', 'P81082').execute();
  const answers = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      call(
        'PUT',
        '/api/v1/practice/prescriptions/settings',
        {
          onlineOrdering: true,
          turnaroundDays: 1 + i,
          orderWindowDays: 7,
          earlyReasonRequired: true,
          version: 0,
        },
        managerToken,
      ),
    ),
  );
  assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, ...Array<number>(5).fill(409)]);
  const row = await t.db.db
    .selectFrom('prescription_settings')
    .select('version')
    .where('practice_ods', '=', 'P81082')
    .executeTakeFirstOrThrow();
  assert.equal(row.version, 1);
});
