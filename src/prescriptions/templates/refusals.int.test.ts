// A refused change to a repeat or to the practice's settings is audited (issue #11 review): who
// tried, which repeat, which rule, with outcome failure; nothing is changed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import { clinician, patientsAt, seedItem } from '../../../test/support/prescription-queue.ts';
import { loadDemo } from '../../demo/load.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { DEFAULT_SETTINGS } from '../rules.ts';
import { changeRepeat, createRepeat, reauthoriseRepeat, setRepeatStatus } from './service.ts';
import { updateSettings } from './settings-service.ts';

const clock = fixedClock('2026-12-02T10:00:00Z');
let t: TestApp;
let ctx: Ctx;
let gp: StaffActor;
let manager: StaffActor;
let patient = '';

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  ctx = { db: t.db.db, clock, meta: null };
  gp = await clinician(t.db.db, 'Dr Refused');
  const m = await t.db.db
    .selectFrom('staff_users')
    .select(['id', 'email', 'name'])
    .where('practice_ods', '=', 'P81082')
    .where('role', '=', 'practice-manager')
    .executeTakeFirstOrThrow();
  manager = { ...gp, staffId: m.id, email: m.email, name: m.name, role: 'practice-manager' };
  [patient = ''] = await patientsAt(t.db.db);
});
after(async () => {
  await t.close();
});

const failures = (action: string, subject: string | null) => {
  let q = t.db.db
    .selectFrom('audit_events')
    .select(['actor_id', 'patient_id', 'outcome', 'details'])
    .where('action', '=', action)
    .where('outcome', '=', 'failure');
  q = subject === null ? q.where('subject', 'is', null) : q.where('subject', '=', subject);
  return q.execute();
};
const reasons = async (action: string, subject: string | null) =>
  (await failures(action, subject)).map((f) => (f.details as { reason: string }).reason).sort();

test('refused changes to a repeat are audited with the rule: stale version, a missing reason, a bad status move, not found', async () => {
  const s = await seedItem(t.db.db, { patientId: patient });
  const subject = `repeat:${s.templateId}`;
  await assert.rejects(
    changeRepeat(ctx, gp, { templateId: s.templateId, version: 7, reason: 'x', changes: { quantity: 14 } }),
  );
  await assert.rejects(
    changeRepeat(ctx, gp, { templateId: s.templateId, version: 1, reason: ' ', changes: { quantity: 14 } }),
  );
  assert.deepEqual(await reasons('prescriptions.repeat.changed', subject), ['invalid', 'stale-version']);
  const [first] = await failures('prescriptions.repeat.changed', subject);
  assert.equal(first?.actor_id, gp.staffId);
  assert.equal(first.patient_id, patient);

  await assert.rejects(
    setRepeatStatus(ctx, gp, { templateId: s.templateId, version: 1, action: 'resume', reason: 'Why' }),
  );
  assert.deepEqual(await reasons('prescriptions.repeat.resumed', subject), ['invalid']);
  await assert.rejects(
    reauthoriseRepeat(ctx, gp, {
      templateId: s.templateId,
      version: 1,
      issuesAuthorised: 0,
      reviewDate: null,
      reason: 'Reviewed',
    }),
  );
  assert.deepEqual(await reasons('prescriptions.repeat.reauthorised', subject), ['invalid']);

  const unknown = randomUUID();
  await assert.rejects(
    changeRepeat(ctx, gp, { templateId: unknown, version: 1, reason: 'x', changes: { quantity: 1 } }),
  );
  assert.deepEqual(await reasons('prescriptions.repeat.changed', `repeat:${unknown}`), ['not-found']);
  await assert.rejects(
    createRepeat(ctx, gp, {
      patientId: patient,
      recordEntryId: unknown,
      daysPerIssue: 28,
      issuesAuthorised: 6,
      reviewDate: null,
      repeatUntil: null,
      onlineOrderable: true,
    }),
  );
  assert.deepEqual(await reasons('prescriptions.repeat.create', `record-entry:${unknown}`), ['invalid']);

  const row = await t.db.db
    .selectFrom('repeat_templates')
    .select(['version', 'quantity', 'status'])
    .where('id', '=', s.templateId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { version: 1, quantity: '28', status: 'active' }, 'nothing changed');
});

test('refused saves of the settings are audited: out of bounds, and a version not read', async () => {
  await assert.rejects(
    updateSettings(ctx, manager, {
      settings: { ...DEFAULT_SETTINGS, turnaroundDays: 11 },
      expectedVersion: 0,
    }),
  );
  await assert.rejects(updateSettings(ctx, manager, { settings: DEFAULT_SETTINGS, expectedVersion: 5 }));
  const rows = await failures('prescriptions.settings.update', 'prescription-settings');
  assert.ok(rows.every((r) => r.actor_id === manager.staffId));
  assert.deepEqual(await reasons('prescriptions.settings.update', 'prescription-settings'), [
    'invalid',
    'stale-version',
  ]);
  const invalid = rows.find((r) => (r.details as { reason: string }).reason === 'invalid');
  assert.deepEqual((invalid?.details as { fields: string[] }).fields, ['turnaroundDays']);
});
