// The practice's prescription queue: the page of items with what a prescriber needs, approving
// (the issue is recorded and counted, once, even when two prescribers approve at once), rejecting
// with a reason the patient sees, approving several at once, and the dispensing steps. Audited;
// the patient is told through the outbox in the same transaction.
import { audit, auditAlone } from '../../platform/audit/use-case.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff, can, type PracticeStaff } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import { englandDay } from '../../platform/dates.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { ItemStatus } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/http/errors.ts';
import { noSuchPage } from '../../platform/http/paging.ts';
import { prescribingContexts } from '../../record/index.ts';
import { permissions } from '../permissions.ts';
import { canMove, expectedReadyOn, issuesLeft, MAX_NOTE_LENGTH } from '../rules.ts';
import { settingsFor } from '../settings-store.ts';
import { tellPatient } from './messages.ts';
import { readyDay, spokenDay, STEP_LABEL } from './present.ts';
import { changedSince, repeatEnded, reviewDue } from './rules.ts';
import * as store from './store.ts';

export const PAGE_SIZE = 25;
/** The most items one "approve selected" may carry. */
export const MAX_APPROVE_AT_ONCE = 100;

export type QueueQuery = { page: number; status: ItemStatus; prescriber?: string | undefined };

/** What the signed-in person may do on the queue: the pages offer only that. */
const mayOf = (staff: PracticeStaff) => ({
  decide: can(staff, permissions.decide, staff.practiceOds),
  dispense: can(staff, permissions.recordDispensing, staff.practiceOds),
});

/** One page of the queue, each item with its patient's prescribing context; the read is audited. */
export async function queue(ctx: Ctx, actor: Actor | null, q: QueueQuery) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewQueue);
  const filter = { practiceOds: staff.practiceOds, status: q.status, prescriber: q.prescriber };
  // Independent reads side by side (on PostgreSQL each takes its own connection).
  const [total, rows, settings, clinicians] = await Promise.all([
    store.queueCount(ctx.db, filter),
    store.queuePage(ctx.db, { ...filter, limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE }),
    settingsFor(ctx.db, staff.practiceOds),
    store.prescribers(ctx.db, staff.practiceOds),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (q.page > pages) throw noSuchPage(q.page);
  const today = englandDay(ctx.clock.now());
  const context = await prescribingContexts(ctx.db, {
    practiceOds: staff.practiceOds,
    patientIds: rows.map((r) => r.patient_id),
    today,
  });
  await auditAlone(ctx, staff, {
    action: 'prescriptions.queue.view',
    subject: `queue:${q.status}`,
    details: {
      page: q.page,
      prescriber: q.prescriber ?? null,
      items: rows.map((r) => r.id),
      patients: [...new Set(rows.map((r) => r.patient_id))],
    },
  });
  return {
    rows,
    context,
    total,
    page: q.page,
    pages,
    settings,
    today,
    prescribers: clinicians,
    may: mayOf(staff),
  };
}

/** One item with its patient's prescribing context, for its page; the read is audited. */
export async function queueItem(ctx: Ctx, actor: Actor | null, id: string) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewQueue);
  const row = await store.queueRow(ctx.db, staff.practiceOds, id);
  if (!row) throw new AppError('not-found', 'There is no such prescription request.');
  const today = englandDay(ctx.clock.now());
  const context = await prescribingContexts(ctx.db, {
    practiceOds: staff.practiceOds,
    patientIds: [row.patient_id],
    today,
  });
  const settings = await settingsFor(ctx.db, staff.practiceOds);
  await auditAlone(ctx, staff, {
    action: 'prescriptions.item.view',
    subject: `prescription-item:${id}`,
    patientId: row.patient_id,
  });
  return { row, context, settings, today, may: mayOf(staff) };
}

type ItemRow = NonNullable<Awaited<ReturnType<typeof store.itemForUpdate>>>;

/** A refusal naming the item and the rule, as the API answers it. */
function refused(
  item: string,
  reason: string,
  message: string,
  code: 'conflict' | 'not-found' = 'conflict',
): AppError {
  return new AppError(code, message, { reason, extra: { item, errors: [{ item, reason }] } });
}

/** A refused decision or step is audited too (who tried, which item, which rule), then thrown on. */
async function refusedAudited<T>(
  ctx: Ctx,
  staff: PracticeStaff,
  action: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && (err.code === 'conflict' || err.code === 'not-found')) {
      const item = typeof err.extra.item === 'string' ? err.extra.item : null;
      await auditAlone(ctx, staff, {
        action,
        outcome: 'failure',
        subject: item ? `prescription-item:${item}` : null,
        details: { reason: err.reason ?? err.code },
      });
    }
    throw err;
  }
}

async function lockedRequested(tx: Tx, staff: PracticeStaff, id: string): Promise<ItemRow> {
  const item = await store.itemForUpdate(tx, staff.practiceOds, id);
  if (!item) throw refused(id, 'no-such-item', 'There is no such prescription request.', 'not-found');
  if (item.status !== 'requested')
    throw refused(
      id,
      'already-decided',
      `${item.drug_name} is no longer waiting for a decision: it is ${STEP_LABEL[item.status].toLowerCase()}.`,
    );
  return item;
}

/** The repeat an item is of, locked before the item (the order a change of the repeat takes). */
async function lockedTemplate(tx: Tx, staff: PracticeStaff, id: string, share = false) {
  const templateId = await store.templateOfItem(tx, staff.practiceOds, id);
  if (!templateId) throw refused(id, 'no-such-item', 'There is no such prescription request.', 'not-found');
  const t = await store.templateForUpdate(tx, staff.practiceOds, templateId, share);
  if (!t) throw new Error('request item without its template');
  return t;
}

/**
 * Approves one item in the caller's transaction: the repeat and the item are locked, the item
 * moved from requested only, the template counts one more issue only while some are left and it
 * is in date, and the issue copies the drug, dose and quantity the template has now. With others
 * ("approve selected"), a repeat whose review is due or that changed since the request is
 * refused: the prescriber must see it on its own page.
 */
async function approveTx(
  tx: Tx,
  ctx: Ctx,
  staff: PracticeStaff,
  id: string,
  alone: boolean,
): Promise<string> {
  const now = ctx.clock.now();
  const today = englandDay(now);
  const t = await lockedTemplate(tx, staff, id);
  const item = await lockedRequested(tx, staff, id);
  if (t.status !== 'active')
    throw refused(
      id,
      `repeat-${t.status}`,
      `${item.drug_name} cannot be approved: the repeat is ${t.status}.`,
    );
  if (t.repeat_until !== null && repeatEnded(t.repeat_until, today))
    throw refused(
      id,
      'repeat-expired',
      `${item.drug_name} cannot be approved: the repeat ended on ${spokenDay(t.repeat_until)}. Change the repeat's end date first.`,
    );
  if (issuesLeft({ issuesAuthorised: t.issues_authorised, issuesMade: t.issues_made }) === 0)
    throw refused(
      id,
      'no-issues-left',
      `${item.drug_name} cannot be approved: all ${String(t.issues_authorised)} authorised issues have been made. Re-authorise the repeat first.`,
    );
  if (!alone && t.review_date !== null && reviewDue(t.review_date, today))
    throw refused(
      id,
      'review-due',
      `${item.drug_name} needs its own page: its review was due on ${spokenDay(t.review_date)}. Open it to approve it on its own.`,
    );
  if (!alone && changedSince(item, t))
    throw refused(
      id,
      'repeat-changed',
      `${item.drug_name} needs its own page: the repeat was changed after the request. Open it to check it and approve it on its own.`,
    );
  if (!(await store.moveItem(tx, { id, from: 'requested', to: 'approved', now, decidedBy: staff.staffId })))
    throw refused(id, 'already-decided', `${item.drug_name} has just been decided by someone else.`);
  if (!(await store.countIssue(tx, { templateId: t.id, now })))
    throw refused(id, 'no-issues-left', `${item.drug_name} cannot be approved: no issues are left.`);
  const issueId = await store.insertIssue(tx, {
    practiceOds: staff.practiceOds,
    patientId: item.patient_id,
    templateId: t.id,
    itemId: id,
    now,
    by: staff.staffId,
    prescriberName: staff.name,
    dmdCode: t.dmd_code,
    drugName: t.drug_name,
    dosage: t.dosage,
    quantity: t.quantity,
    quantityUnit: t.quantity_unit,
    daysSupply: t.days_per_issue,
    pharmacyOds: await store.pharmacyOfRequest(tx, item.request_id),
  });
  const settings = await settingsFor(tx, staff.practiceOds);
  const ready = expectedReadyOn(englandDay(item.requested_at), settings);
  await tellPatient(tx, ctx, {
    practiceOds: staff.practiceOds,
    patientId: item.patient_id,
    itemId: id,
    templateId: t.id,
    kind: 'prescription-approved',
    medicine: t.drug_name, // as issued
    fields: { when: spokenDay(readyDay(ready, today)) },
  });
  await audit(tx, ctx, staff, {
    action: 'prescription.approve',
    subject: `prescription-item:${id}`,
    patientId: item.patient_id,
    details: {
      issueId,
      templateId: t.id,
      issuesMade: t.issues_made + 1,
      issuesAuthorised: t.issues_authorised,
    },
  });
  return issueId;
}

/** A reason the patient sees: needed, and at most MAX_NOTE_LENGTH characters, never cut. */
export function rejectReason(raw: string | null | undefined): string {
  const reason = (raw ?? '').trim();
  if (!reason) throw AppError.invalid([{ field: 'reason', message: 'Enter a reason the patient will see' }]);
  if (reason.length > MAX_NOTE_LENGTH)
    throw AppError.invalid([
      { field: 'reason', message: `The reason must be ${String(MAX_NOTE_LENGTH)} characters or fewer` },
    ]);
  return reason;
}

export type Decision = { itemId: string; decision: 'approve' | 'reject'; reason?: string | null | undefined };

/** Approves or rejects one item. Only clinicians decide. */
export async function decide(
  ctx: Ctx,
  actor: Actor | null,
  d: Decision,
): Promise<{ status: 'approved' | 'rejected'; issueId: string | null }> {
  const staff = assertOwnPracticeStaff(actor, permissions.decide);
  if (d.decision === 'approve') {
    const issueId = await refusedAudited(ctx, staff, 'prescription.approve', () =>
      ctx.db.transaction().execute((tx) => approveTx(tx, ctx, staff, d.itemId, true)),
    );
    return { status: 'approved', issueId };
  }
  const reason = rejectReason(d.reason);
  await refusedAudited(ctx, staff, 'prescription.reject', () =>
    ctx.db.transaction().execute(async (tx) => {
      const now = ctx.clock.now();
      const item = await lockedRequested(tx, staff, d.itemId);
      const moved = await store.moveItem(tx, {
        id: item.id,
        from: 'requested',
        to: 'rejected',
        now,
        decidedBy: staff.staffId,
        rejectReason: reason,
      });
      if (!moved)
        throw refused(item.id, 'already-decided', `${item.drug_name} has just been decided by someone else.`);
      await tellPatient(tx, ctx, {
        practiceOds: staff.practiceOds,
        patientId: item.patient_id,
        itemId: item.id,
        templateId: item.template_id,
        kind: 'prescription-rejected',
        medicine: item.drug_name,
        fields: { reason },
      });
      await audit(tx, ctx, staff, {
        action: 'prescription.reject',
        subject: `prescription-item:${item.id}`,
        patientId: item.patient_id,
        details: { reason },
      });
    }),
  );
  return { status: 'rejected', issueId: null };
}

/**
 * Approves several items in one transaction: all of them, or none and a problem naming the item
 * that could not be approved and why (a review due or a repeat changed since the request is for
 * its own page). Locks are taken in id order so two overlapping approvals wait for each other
 * instead of deadlocking.
 */
export async function approveMany(ctx: Ctx, actor: Actor | null, ids: readonly string[]): Promise<number> {
  const staff = assertOwnPracticeStaff(actor, permissions.decide);
  const unique = [...new Set(ids)].sort();
  if (unique.length === 0)
    throw AppError.invalid([{ field: 'items', message: 'Select at least one request to approve' }]);
  if (unique.length > MAX_APPROVE_AT_ONCE)
    throw AppError.invalid([
      { field: 'items', message: `Select ${String(MAX_APPROVE_AT_ONCE)} requests or fewer at once` },
    ]);
  await refusedAudited(ctx, staff, 'prescription.approve', () =>
    ctx.db.transaction().execute(async (tx) => {
      for (const id of unique) await approveTx(tx, ctx, staff, id, false);
    }),
  );
  return unique.length;
}

export type DispensingStep = 'issued' | 'sent' | 'ready' | 'collected';
export const DISPENSING_STEPS: readonly DispensingStep[] = ['issued', 'sent', 'ready', 'collected'];
export function isDispensingStep(s: string): s is DispensingStep {
  return (DISPENSING_STEPS as readonly string[]).includes(s);
}

/**
 * Records a dispensing step, in order (rules.canMove); the first step after approval tells the
 * patient it is issued. A suspended or ended repeat is not issued or sent on.
 */
export async function recordStep(
  ctx: Ctx,
  actor: Actor | null,
  s: { itemId: string; to: DispensingStep },
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.recordDispensing);
  await refusedAudited(ctx, staff, `prescription.${s.to}`, () =>
    ctx.db.transaction().execute(async (tx) => {
      const now = ctx.clock.now();
      const t = await lockedTemplate(tx, staff, s.itemId, true);
      const item = await store.itemForUpdate(tx, staff.practiceOds, s.itemId);
      if (!item)
        throw refused(s.itemId, 'no-such-item', 'There is no such prescription request.', 'not-found');
      const step = STEP_LABEL[s.to].toLowerCase();
      if (!canMove(item.status, s.to))
        throw refused(
          item.id,
          'status-order',
          `${item.drug_name} cannot be marked ${step}: it is ${STEP_LABEL[item.status].toLowerCase()}.`,
        );
      if (t.status !== 'active' && (s.to === 'issued' || s.to === 'sent' || item.status === 'approved'))
        throw refused(
          item.id,
          `repeat-${t.status}`,
          `${item.drug_name} cannot be marked ${step}: the repeat is ${t.status}.`,
        );
      if (!(await store.moveItem(tx, { id: item.id, from: item.status, to: s.to, now })))
        throw new Error('a locked item moved');
      if (item.status === 'approved') {
        const settings = await settingsFor(tx, staff.practiceOds);
        const ready = expectedReadyOn(englandDay(item.requested_at), settings);
        await tellPatient(tx, ctx, {
          practiceOds: staff.practiceOds,
          patientId: item.patient_id,
          itemId: item.id,
          templateId: t.id,
          kind: 'prescription-issued',
          medicine: (await store.issuedDrugName(tx, item.id)) ?? t.drug_name,
          fields: { when: spokenDay(readyDay(ready, englandDay(now))) },
        });
      }
      await audit(tx, ctx, staff, {
        action: `prescription.${s.to}`,
        subject: `prescription-item:${item.id}`,
        patientId: item.patient_id,
        details: { from: item.status },
      });
    }),
  );
}
