// What approving may not do (issue #11 review): approve a repeat past its repeat-until day, let
// "approve selected" through a review that is due or a repeat changed since the request, keep a
// request waiting on a repeat that was suspended or ended, or issue and send a stopped medicine.
// Messages name the medicine as issued, and never a medicine hidden online. Tuesday 1 December 2026.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  fixedClock,
  signInStaff,
  testApp,
  type Browser,
  type TestApp,
} from '../../../test/support/harness.ts';
import {
  clinician,
  issuesOf,
  itemStatus,
  patientOfAccount,
  recordEntry,
  seedItem,
} from '../../../test/support/prescription-queue.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { setRepeatStatus } from '../templates/service.ts';
import { approveMany, decide, recordStep } from './service.ts';

const clock = fixedClock('2026-12-01T10:00:00Z');
const demoGp = DEMO_STAFF.find((s) => s.email === 'gp@ryan.demo.gp-online.test')!;
let t: TestApp;
let ctx: Ctx;
let gp: StaffActor;
let patient = '';
let doctor: Browser;

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  await t.db.db
    .updateTable('prescription_request_items')
    .set({ status: 'collected' })
    .where('practice_ods', '=', 'P81082')
    .execute();
  ctx = { db: t.db.db, clock, meta: null };
  gp = await clinician(t.db.db, 'Dr Approval');
  patient = await patientOfAccount(t.db.db, 'p5.patient@demo.gp-online.test');
  doctor = await signInStaff(t.app, demoGp.email, DEMO_PASSWORD, demoGp.totpSecret, clock);
});
after(async () => {
  await t.close();
});

const refusedAs = (reason: string, item: string) => (e: unknown) => {
  assert.ok(e instanceof AppError, String(e));
  assert.equal(e.reason, reason);
  assert.deepEqual(e.extra.errors, [{ item, reason }]);
  return true;
};
const outbox = (itemId: string) =>
  t.db.db
    .selectFrom('notifications_outbox')
    .select(['kind', 'personalisation'])
    .where('reference', '=', itemId)
    .orderBy('created_at')
    .execute();

test('HAZ-22 a repeat past its repeat-until day is not approved; on the day itself it is', async () => {
  const ended = await seedItem(t.db.db, {
    patientId: patient,
    repeatUntil: '2026-11-30',
    drug: 'Ended medicine',
  });
  await assert.rejects(decide(ctx, gp, { itemId: ended.itemId, decision: 'approve' }), (e: unknown) => {
    refusedAs('repeat-expired', ended.itemId)(e);
    assert.match(e instanceof Error ? e.message : '', /the repeat ended on Monday 30 November 2026/);
    return true;
  });
  assert.equal((await itemStatus(t.db.db, ended.itemId)).status, 'requested', 'nothing written');
  assert.equal((await issuesOf(t.db.db, ended.itemId)).length, 0);

  const page = await doctor.get(`/staff/prescriptions/items/${ended.itemId}`);
  assert.match(page.body, /Repeat ended on 30 November 2026/);
  assert.match(page.body, /change its end date to approve this/);
  assert.doesNotMatch(page.body, /items\/[0-9a-f-]+\/approve/, 'no Approve button that can only fail');
  assert.match(page.body, /Reason for rejecting/, 'it can still be rejected');

  const lastDay = await seedItem(t.db.db, { patientId: patient, repeatUntil: '2026-12-01' });
  assert.equal((await decide(ctx, gp, { itemId: lastDay.itemId, decision: 'approve' })).status, 'approved');
});

test('HAZ-26 "approve selected" refuses a review due or a changed repeat, all or nothing; one at a time approves them', async () => {
  const today = await seedItem(t.db.db, { patientId: patient, reviewDate: '2026-12-01', drug: 'Due today' });
  const yesterday = await seedItem(t.db.db, { patientId: patient, reviewDate: '2026-11-30' });
  const tomorrow = await seedItem(t.db.db, {
    patientId: patient,
    reviewDate: '2026-12-02',
    drug: 'Due later',
  });
  const changed = await seedItem(t.db.db, {
    patientId: patient,
    templateDosage: 'Two tablets once a day',
    drug: 'Changed medicine',
  });

  const page = await doctor.get('/staff/prescriptions');
  const rowOf = (id: string) =>
    new RegExp(`<tr[^>]*id="item-${id}"[\\s\\S]*?</tr>`).exec(page.body)?.[0] ?? '';
  assert.doesNotMatch(rowOf(today.itemId), /type="checkbox"/);
  assert.match(rowOf(today.itemId), /On its own page/);
  assert.doesNotMatch(rowOf(changed.itemId), /type="checkbox"/);
  assert.match(rowOf(tomorrow.itemId), /type="checkbox"/);

  await assert.rejects(
    approveMany(ctx, gp, [today.itemId, tomorrow.itemId]),
    refusedAs('review-due', today.itemId),
  );
  await assert.rejects(approveMany(ctx, gp, [yesterday.itemId]), refusedAs('review-due', yesterday.itemId));
  await assert.rejects(
    approveMany(ctx, gp, [changed.itemId, tomorrow.itemId]),
    refusedAs('repeat-changed', changed.itemId),
  );
  assert.equal((await itemStatus(t.db.db, tomorrow.itemId)).status, 'requested', 'all or nothing');
  const shown = await doctor.submit('/staff/prescriptions', '/staff/prescriptions/approve', {
    items: [today.itemId],
  });
  assert.equal(shown.statusCode, 400);
  assert.match(
    shown.body,
    /Nothing was approved\. Due today needs its own page: its review was due on Tuesday 1 December 2026/,
  );

  assert.equal(await approveMany(ctx, gp, [tomorrow.itemId]), 1, 'a review due tomorrow is not due');
  for (const x of [today, changed])
    assert.equal((await decide(ctx, gp, { itemId: x.itemId, decision: 'approve' })).status, 'approved');
  assert.equal((await issuesOf(t.db.db, changed.itemId))[0]?.dosage, 'Two tablets once a day');
});

test('suspending or ending a repeat rejects its waiting request and tells the patient why; nothing stopped is issued or sent', async () => {
  const paused = await seedItem(t.db.db, { patientId: patient, drug: 'Paused medicine' });
  await setRepeatStatus(ctx, gp, {
    templateId: paused.templateId,
    version: 1,
    action: 'suspend',
    reason: 'Blood test first',
  });
  const why = 'Your GP practice has paused this medicine: Blood test first';
  assert.deepEqual(await itemStatus(t.db.db, paused.itemId), {
    status: 'rejected',
    decided_by: gp.staffId,
    reject_reason: why,
  });
  const told = await outbox(paused.itemId);
  assert.deepEqual(
    told.map((m) => [m.kind, m.personalisation.reason, m.personalisation.medicine]),
    [['prescription-rejected', why, 'Paused medicine']],
  );

  const stopped = await seedItem(t.db.db, { patientId: patient });
  await setRepeatStatus(ctx, gp, {
    templateId: stopped.templateId,
    version: 1,
    action: 'end',
    reason: 'No longer needed',
  });
  assert.equal(
    (await itemStatus(t.db.db, stopped.itemId)).reject_reason,
    'Your GP practice has stopped this medicine: No longer needed',
  );
  const tooLong = await seedItem(t.db.db, { patientId: patient });
  await assert.rejects(
    setRepeatStatus(ctx, gp, {
      templateId: tooLong.templateId,
      version: 1,
      action: 'end',
      reason: 'x'.repeat(457),
    }),
    /456 characters or fewer/,
  );
  assert.equal((await itemStatus(t.db.db, tooLong.itemId)).status, 'requested', 'nothing half-written');

  // Approved, then the repeat is suspended: not issued, not sent, until it is resumed.
  const approved = await seedItem(t.db.db, { patientId: patient });
  await decide(ctx, gp, { itemId: approved.itemId, decision: 'approve' });
  await setRepeatStatus(ctx, gp, {
    templateId: approved.templateId,
    version: 1,
    action: 'suspend',
    reason: 'Side effects',
  });
  for (const to of ['issued', 'sent', 'ready'] as const)
    await assert.rejects(
      recordStep(ctx, gp, { itemId: approved.itemId, to }),
      refusedAs('repeat-suspended', approved.itemId),
    );
  assert.equal((await itemStatus(t.db.db, approved.itemId)).status, 'approved');
  await setRepeatStatus(ctx, gp, {
    templateId: approved.templateId,
    version: 2,
    action: 'resume',
    reason: 'Settled',
  });
  await recordStep(ctx, gp, { itemId: approved.itemId, to: 'issued' });
  await setRepeatStatus(ctx, gp, {
    templateId: approved.templateId,
    version: 3,
    action: 'end',
    reason: 'Stopped',
  });
  await assert.rejects(
    recordStep(ctx, gp, { itemId: approved.itemId, to: 'sent' }),
    refusedAs('repeat-ended', approved.itemId),
  );
  await recordStep(ctx, gp, { itemId: approved.itemId, to: 'collected' }); // handed over already
});

test('HAZ-20 messages name the medicine as issued, and say "a medicine" when its record entry is hidden online', async () => {
  const s = await seedItem(t.db.db, { patientId: patient, drug: 'Asked-for name' });
  const rename = (name: string) =>
    t.db.db.updateTable('repeat_templates').set({ drug_name: name }).where('id', '=', s.templateId).execute();
  await rename('Issued name');
  await decide(ctx, gp, { itemId: s.itemId, decision: 'approve' });
  await rename('Renamed afterwards');
  await recordStep(ctx, gp, { itemId: s.itemId, to: 'issued' });
  assert.deepEqual(
    (await outbox(s.itemId)).map((m) => [m.kind, m.personalisation.medicine]),
    [
      ['prescription-approved', 'Issued name'],
      ['prescription-issued', 'Issued name'],
    ],
  );

  const hiddenEntry = () =>
    recordEntry(t.db.db, {
      patientId: patient,
      kind: 'medication',
      title: 'Hidden medicine',
      on: '2026-01-01',
      details: {},
      visibleOnline: false,
    });
  const hidden = await seedItem(t.db.db, {
    patientId: patient,
    drug: 'Hidden medicine',
    recordEntryId: await hiddenEntry(),
  });
  const hidden2 = await seedItem(t.db.db, {
    patientId: patient,
    drug: 'Hidden medicine',
    recordEntryId: await hiddenEntry(),
  });
  await decide(ctx, gp, { itemId: hidden.itemId, decision: 'approve' });
  await recordStep(ctx, gp, { itemId: hidden.itemId, to: 'issued' });
  await decide(ctx, gp, { itemId: hidden2.itemId, decision: 'reject', reason: 'Please call us' });
  const all = [...(await outbox(hidden.itemId)), ...(await outbox(hidden2.itemId))];
  assert.equal(all.length, 3);
  for (const m of all) {
    assert.equal(m.personalisation.medicine, 'a medicine', m.kind);
    assert.doesNotMatch(JSON.stringify(m.personalisation), /Hidden/);
  }
});
