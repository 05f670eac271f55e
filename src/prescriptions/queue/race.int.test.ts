// The queue's concurrency guarantees on both databases (run with DATABASE_URL for PostgreSQL):
// two prescribers approving one item at once make one issue; many approvals of one item make one;
// overlapping "approve selected" never issue an item twice; an approval never goes past the
// issues authorised, and the database itself refuses a count past them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import { loadDemo } from '../../demo/load.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { changeRepeat } from '../templates/service.ts';
import { approveMany, decide } from './service.ts';
import {
  clinician,
  issuesMade,
  issuesOf,
  itemStatus,
  patientsAt,
  seedItem,
} from '../../../test/support/prescription-queue.ts';

const clock = fixedClock('2026-12-01T10:00:00Z');
let t: TestApp;
let ctx: Ctx;
let gp1: StaffActor;
let gp2: StaffActor;
let patients: string[];

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  ctx = { db: t.db.db, clock, meta: null };
  gp1 = await clinician(t.db.db, 'Dr One');
  gp2 = await clinician(t.db.db, 'Dr Two');
  patients = await patientsAt(t.db.db);
});
after(async () => {
  await t.close();
});

const reasonOf = (r: PromiseSettledResult<unknown>) =>
  r.status === 'rejected' && r.reason instanceof AppError
    ? `${r.reason.code}:${r.reason.reason ?? ''}`
    : r.status;

test('HAZ-21 two prescribers approving one item at once make one issue', async () => {
  const s = await seedItem(t.db.db, { patientId: patients[0]!, issuesAuthorised: 3, issuesMade: 1 });
  const results = await Promise.allSettled([
    decide(ctx, gp1, { itemId: s.itemId, decision: 'approve' }),
    decide(ctx, gp2, { itemId: s.itemId, decision: 'approve' }),
  ]);
  assert.deepEqual(results.map(reasonOf).sort(), ['conflict:already-decided', 'fulfilled']);
  assert.equal((await issuesOf(t.db.db, s.itemId)).length, 1);
  assert.equal(await issuesMade(t.db.db, s.templateId), 2, 'counted once');
  assert.equal((await itemStatus(t.db.db, s.itemId)).status, 'approved');
});

test('HAZ-24 the issue copies the repeat as it is when approved: a change through the templates service never rewrites it', async () => {
  const s = await seedItem(t.db.db, { patientId: patients[0]!, drug: 'Copied medicine' });
  const change = (version: number, dosage: string, quantity: number) =>
    changeRepeat(ctx, gp2, {
      templateId: s.templateId,
      version,
      reason: 'Dose reviewed',
      changes: { dosage, quantity },
    });
  await change(1, 'Two a day', 56);
  await decide(ctx, gp1, { itemId: s.itemId, decision: 'approve' });
  await change(2, 'Three a day', 84);
  const [issue] = await issuesOf(t.db.db, s.itemId);
  assert.equal(issue?.dosage, 'Two a day');
  assert.equal(Number(issue.quantity), 56);
  assert.equal(issue.prescriber_name, 'Dr One');
  assert.equal(issue.days_supply, 28);

  // A change racing the approval: the issue is the repeat wholly before or wholly after it.
  const r = await seedItem(t.db.db, { patientId: patients[1]!, drug: 'Raced medicine' });
  const results = await Promise.allSettled([
    decide(ctx, gp1, { itemId: r.itemId, decision: 'approve' }),
    changeRepeat(ctx, gp2, {
      templateId: r.templateId,
      version: 1,
      reason: 'Dose reviewed',
      changes: { dosage: 'Two a day', quantity: 56 },
    }),
  ]);
  assert.deepEqual(results.map(reasonOf), ['fulfilled', 'fulfilled']);
  const [raced] = await issuesOf(t.db.db, r.itemId);
  const copied = [raced?.dosage, Number(raced?.quantity)];
  assert.ok(
    JSON.stringify(copied) === JSON.stringify(['One tablet once a day', 28]) ||
      JSON.stringify(copied) === JSON.stringify(['Two a day', 56]),
    `never a mix: ${JSON.stringify(copied)}`,
  );
});

test('HAZ-21 ten approvals of one item at once, and an approve racing a reject, leave one decision', async () => {
  const s = await seedItem(t.db.db, { patientId: patients[1]!, issuesAuthorised: 6 });
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      decide(ctx, i % 2 ? gp1 : gp2, { itemId: s.itemId, decision: 'approve' }),
    ),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  assert.equal((await issuesOf(t.db.db, s.itemId)).length, 1);
  assert.equal(await issuesMade(t.db.db, s.templateId), 1);

  const r = await seedItem(t.db.db, { patientId: patients[2]!, issuesAuthorised: 6 });
  const mixed = await Promise.allSettled([
    decide(ctx, gp1, { itemId: r.itemId, decision: 'approve' }),
    decide(ctx, gp2, { itemId: r.itemId, decision: 'reject', reason: 'Please book a review first' }),
  ]);
  assert.equal(mixed.filter((x) => x.status === 'fulfilled').length, 1);
  const status = (await itemStatus(t.db.db, r.itemId)).status;
  assert.equal((await issuesOf(t.db.db, r.itemId)).length, status === 'approved' ? 1 : 0);
  assert.equal(await issuesMade(t.db.db, r.templateId), status === 'approved' ? 1 : 0);
});

test('HAZ-21 overlapping "approve selected" at once: every item issued at most once, each batch all or nothing', async () => {
  const items = [];
  for (let i = 0; i < 4; i++)
    items.push(await seedItem(t.db.db, { patientId: patients[i]!, drug: `Batch medicine ${String(i)}` }));
  const [a, b, c, d] = items.map((x) => x.itemId) as [string, string, string, string];
  const results = await Promise.allSettled([
    approveMany(ctx, gp1, [a, b, c]),
    approveMany(ctx, gp2, [d, c, b]),
  ]);
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  assert.ok(ok >= 1, 'one batch goes through');
  for (const x of items) {
    const n = (await issuesOf(t.db.db, x.itemId)).length;
    assert.ok(n <= 1);
    assert.equal(await issuesMade(t.db.db, x.templateId), n);
    assert.equal((await itemStatus(t.db.db, x.itemId)).status, n === 1 ? 'approved' : 'requested');
  }
  const issued = (await Promise.all(items.map((x) => issuesOf(t.db.db, x.itemId)))).flat().length;
  assert.equal(issued, ok === 2 ? 4 : 3, 'a refused batch leaves none of its items approved');
});

test('HAZ-22 an approval never goes past the issues authorised; the database refuses a count past them', async () => {
  const s = await seedItem(t.db.db, { patientId: patients[3]!, issuesAuthorised: 2, issuesMade: 2 });
  await assert.rejects(decide(ctx, gp1, { itemId: s.itemId, decision: 'approve' }), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.reason, 'no-issues-left');
    assert.deepEqual(e.extra.errors, [{ item: s.itemId, reason: 'no-issues-left' }]);
    return true;
  });
  assert.equal((await itemStatus(t.db.db, s.itemId)).status, 'requested', 'nothing written');
  assert.equal((await issuesOf(t.db.db, s.itemId)).length, 0);
  assert.equal(await issuesMade(t.db.db, s.templateId), 2);
  await assert.rejects(
    t.db.db.updateTable('repeat_templates').set({ issues_made: 3 }).where('id', '=', s.templateId).execute(),
    (e: unknown) => (e as { code?: string }).code === '23514',
  );

  // The last issue left, approved by two at once, and the repeat cut back at the same moment.
  const last = await seedItem(t.db.db, { patientId: patients[4]!, issuesAuthorised: 3, issuesMade: 2 });
  const results = await Promise.allSettled([
    decide(ctx, gp1, { itemId: last.itemId, decision: 'approve' }),
    decide(ctx, gp2, { itemId: last.itemId, decision: 'approve' }),
    t.db.db
      .updateTable('repeat_templates')
      .set({ issues_authorised: 2 })
      .where('id', '=', last.templateId)
      .where('issues_made', '<=', 2)
      .execute(),
  ]);
  assert.ok(results.filter((r) => r.status === 'fulfilled').length >= 1);
  const row = await t.db.db
    .selectFrom('repeat_templates')
    .select(['issues_made', 'issues_authorised'])
    .where('id', '=', last.templateId)
    .executeTakeFirstOrThrow();
  assert.ok(row.issues_made <= row.issues_authorised, 'never past the authorised issues');
  assert.equal((await issuesOf(t.db.db, last.itemId)).length, row.issues_made - 2);
});
