// Clinicians' review work: the practice's queue (results to file, documents to review, historic
// access requests, records with new imports), filing and whole-record reviews.
import type { Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff } from '../../platform/auth/permissions.ts';
import { auditedChange } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { permissions } from '../permissions.ts';
import * as entries from '../store.ts';
import { isRedactionReason, looksLikeId } from './rules.ts';
import * as store from './store.ts';

export async function reviewQueue(ctx: Ctx, actor: Actor | null) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewRecord);
  const [pending, imports, requests] = await Promise.all([
    store.pendingItems(ctx.db, staff.practiceOds),
    store.unreviewedImports(ctx.db, staff.practiceOds),
    store.openHistoricRequests(ctx.db, staff.practiceOds),
  ]);
  return {
    results: pending.filter((p) => p.unfiled),
    documents: pending.filter((p) => p.unreviewed),
    imports,
    requests,
  };
}
export type ReviewQueue = Awaited<ReturnType<typeof reviewQueue>>;

/** Files a result or marks a document reviewed; it may be hidden online at the same time. */
export async function completeReview(
  ctx: Ctx,
  actor: Actor | null,
  entryId: string,
  input: { hide: boolean; reason?: string | null },
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.redact);
  const reason = input.reason ?? null;
  if (input.hide && !isRedactionReason(reason))
    throw AppError.invalid([
      { field: 'reason', message: 'Select why this entry should not be visible online' },
    ]);
  const now = ctx.clock.now();
  await auditedChange(
    ctx,
    staff,
    (e: { id: string; patientId: string; unfiled: boolean }) => ({
      action: e.unfiled ? 'record.result-filed' : 'record.document-reviewed',
      patientId: e.patientId,
      subject: `entry:${e.id}`,
      details: { hiddenOnline: input.hide, reason: input.hide ? input.reason : null },
    }),
    async (tx) => {
      const e = looksLikeId(entryId)
        ? await entries.entryById(tx, { practiceOds: staff.practiceOds, entryId })
        : undefined;
      if (!e || !(e.unfiled || e.unreviewed))
        throw new AppError('not-found', 'This item is not waiting for review.');
      const visible = input.hide ? false : e.visibleOnline;
      await store.setEntryOnline(
        tx,
        { practiceOds: staff.practiceOds, entryId: e.id, visible, filed: true },
        now,
      );
      if (input.hide && isRedactionReason(reason)) {
        await store.insertVisibilityDecision(
          tx,
          {
            practiceOds: staff.practiceOds,
            patientId: e.patientId,
            entryId: e.id,
            visible: false,
            reason,
            note: null,
            by: staff.staffId,
          },
          now,
        );
      }
      return e;
    },
  );
}

/**
 * Marks a patient's record reviewed. `imports`: the new imports were looked at, and leave the
 * queue. `whole-record`: a clinician checked the whole record for third-party and harmful
 * information, which historic access needs (it also clears the imports).
 */
export async function markRecordReviewed(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
  scope: 'imports' | 'whole-record',
): Promise<Date> {
  const staff = assertOwnPracticeStaff(actor, permissions.redact);
  const now = ctx.clock.now();
  const notFound = () => new AppError('not-found', 'No patient with this ID is registered at your practice.');
  if (!looksLikeId(patientId)) throw notFound();
  await auditedChange(
    ctx,
    staff,
    (id: string) => ({
      action: scope === 'whole-record' ? 'record.whole-record-reviewed' : 'record.reviewed',
      patientId: id,
    }),
    async (tx) => {
      const p = await store.patientAt(tx, { practiceOds: staff.practiceOds, patientId });
      if (!p) throw notFound();
      const wholeRecord = scope === 'whole-record';
      await store.markReviewed(
        tx,
        { practiceOds: staff.practiceOds, patientId: p.id, by: staff.staffId, wholeRecord },
        now,
      );
      return p.id;
    },
  );
  return now;
}
