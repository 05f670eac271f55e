// Clinicians' review work: the practice's queue (results to file, documents to review, historic
// access requests, records with new imports), and the patient's request for older records.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../platform/auth/actor.ts';
import { auditActor } from '../platform/auth/actor.ts';
import { assertOwnPracticeStaff, assertPatient } from '../platform/auth/permissions.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { grantHistoricAccessTx } from '../accounts/index.ts';
import { permissions } from './permissions.ts';
import { ownRecordAccess } from './service.ts';
import * as store from './store.ts';
import { REDACTION_REASONS, type RedactionReason } from './staff-service.ts';

// --- Patients: asking for older records -----------------------------------------------------

export type HistoricRequestState = {
  pending: { requestedAt: Date } | null;
  hasHistoric: boolean;
  lastDecision: { status: string; decidedAt: Date | null; note: string | null } | null;
};

export async function ownHistoricRequest(ctx: Ctx, actor: Actor | null): Promise<HistoricRequestState> {
  const { me, access } = await ownRecordAccess(ctx, actor);
  const rows = await ctx.db
    .selectFrom('historic_access_requests')
    .select(['status', 'requested_at', 'decided_at', 'decision_note'])
    .where('practice_ods', '=', me.practiceOds)
    .where('patient_id', '=', me.patientId)
    .orderBy('requested_at', 'desc')
    .limit(5)
    .execute();
  const pending = rows.find((r) => r.status === 'pending');
  const decided = rows.find((r) => r.status !== 'pending');
  return {
    pending: pending ? { requestedAt: pending.requested_at } : null,
    hasHistoric: access.historicAccess,
    lastDecision: decided
      ? { status: decided.status, decidedAt: decided.decided_at, note: decided.decision_note }
      : null,
  };
}

export async function requestHistoricAccess(
  ctx: Ctx,
  actor: Actor | null,
  note: string | null,
): Promise<void> {
  const { me, access } = await ownRecordAccess(ctx, actor);
  if (access.historicAccess)
    throw new AppError('conflict', 'You can already see your older records.', { reason: 'already-granted' });
  const text = note?.trim() || null;
  if (text && text.length > 1000)
    throw AppError.invalid([{ field: 'note', message: 'Your message must be 1000 characters or fewer' }]);
  const now = ctx.clock.now();
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('historic_access_requests')
        .values({
          id: randomUUID(),
          practice_ods: me.practiceOds,
          patient_id: me.patientId,
          account_id: me.accountId,
          requested_at: now,
          note: text,
        })
        .execute();
      await recordAudit(
        tx,
        {
          actor: auditActor(assertPatient(actor)),
          action: 'record.historic-access-requested',
          outcome: 'success',
          practiceOds: me.practiceOds,
          patientId: me.patientId,
          request: ctx.meta,
        },
        now,
      );
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new AppError('conflict', 'You have already asked. Your practice will look at your request.', {
        reason: 'already-requested',
      });
    throw err;
  }
}

// --- Practice: decisions and the queue -----------------------------------------------------

export async function decideHistoricAccess(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
  input: { decision: string; note?: string | null },
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.decideHistoric);
  if (input.decision !== 'granted' && input.decision !== 'refused')
    throw AppError.invalid([
      { field: 'decision', message: 'Choose whether to grant or refuse access to older records' },
    ]);
  const note = input.note?.trim() || null;
  if (input.decision === 'refused' && !note)
    throw AppError.invalid([
      { field: 'note', message: 'Give the reason for refusing (the patient will see it)' },
    ]);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const req = await tx
      .selectFrom('historic_access_requests')
      .select('id')
      .where('practice_ods', '=', staff.practiceOds)
      .where('patient_id', '=', patientId)
      .where('status', '=', 'pending')
      .forUpdate()
      .executeTakeFirst();
    if (!req)
      throw new AppError('not-found', 'There is no open request for older records from this patient.');
    await tx
      .updateTable('historic_access_requests')
      .set({
        status: input.decision as 'granted' | 'refused',
        decided_by: staff.staffId,
        decided_at: now,
        decision_note: note,
      })
      .where('id', '=', req.id)
      .execute();
    if (input.decision === 'granted')
      await grantHistoricAccessTx(
        tx,
        {
          practiceOds: staff.practiceOds,
          patientId,
          byStaff: staff.staffId,
          reason: 'Historic access granted after review',
        },
        now,
      );
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: `record.historic-access-${input.decision}`,
        outcome: 'success',
        practiceOds: staff.practiceOds,
        patientId,
        details: { note },
        request: ctx.meta,
      },
      now,
    );
  });
}

export async function reviewQueue(ctx: Ctx, actor: Actor | null) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewRecord);
  const [pending, imports, requests] = await Promise.all([
    store.pendingItems(ctx.db, staff.practiceOds),
    store.unreviewedImports(ctx.db, staff.practiceOds),
    ctx.db
      .selectFrom('historic_access_requests as r')
      .innerJoin('patients as p', 'p.id', 'r.patient_id')
      .select(['r.patient_id', 'r.requested_at', 'r.note', 'p.given_name', 'p.family_name', 'p.nhs_number'])
      .where('r.practice_ods', '=', staff.practiceOds)
      .where('r.status', '=', 'pending')
      .orderBy('r.requested_at')
      .execute(),
  ]);
  return {
    results: pending.filter((p) => p.unfiled),
    documents: pending.filter((p) => p.unreviewed),
    imports,
    requests,
  };
}

/** Files a result or marks a document reviewed; it may be hidden online at the same time. */
export async function completeReview(
  ctx: Ctx,
  actor: Actor | null,
  entryId: string,
  input: { hide: boolean; reason?: string | null },
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.redact);
  if (input.hide && !Object.hasOwn(REDACTION_REASONS, input.reason ?? ''))
    throw AppError.invalid([
      { field: 'reason', message: 'Select why this entry should not be visible online' },
    ]);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const e = /^[0-9a-f-]{36}$/.test(entryId)
      ? await store.entryById(tx, staff.practiceOds, entryId)
      : undefined;
    if (!e || !(e.unfiled || e.unreviewed))
      throw new AppError('not-found', 'This item is not waiting for review.');
    await tx
      .updateTable('record_entries')
      .set({
        unfiled: false,
        unreviewed: false,
        visible_online: input.hide ? false : e.visibleOnline,
        updated_at: now,
      })
      .where('practice_ods', '=', staff.practiceOds)
      .where('id', '=', e.id)
      .execute();
    if (input.hide) {
      await store.insertVisibilityDecision(
        tx,
        {
          practiceOds: staff.practiceOds,
          patientId: e.patientId,
          entryId: e.id,
          visible: false,
          reason: input.reason as RedactionReason,
          note: null,
          by: staff.staffId,
        },
        now,
      );
    }
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: e.unfiled ? 'record.result-filed' : 'record.document-reviewed',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        patientId: e.patientId,
        subject: `entry:${e.id}`,
        details: { hiddenOnline: input.hide, reason: input.hide ? input.reason : null },
        request: ctx.meta,
      },
      now,
    );
  });
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
  if (!/^[0-9a-f-]{36}$/.test(patientId))
    throw new AppError('not-found', 'No patient with this ID is registered at your practice.');
  return ctx.db.transaction().execute(async (tx) => {
    const p = await tx
      .selectFrom('patients')
      .select('id')
      .where('practice_ods', '=', staff.practiceOds)
      .where('id', '=', patientId)
      .executeTakeFirst();
    if (!p) throw new AppError('not-found', 'No patient with this ID is registered at your practice.');
    const reviewed = {
      last_reviewed_at: now,
      last_reviewed_by: staff.staffId,
      ...(scope === 'whole-record'
        ? { whole_record_reviewed_at: now, whole_record_reviewed_by: staff.staffId }
        : {}),
    };
    await tx
      .insertInto('record_controls')
      .values({ patient_id: p.id, practice_ods: staff.practiceOds, withheld: false, ...reviewed })
      .onConflict((oc) => oc.column('patient_id').doUpdateSet(reviewed))
      .execute();
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: scope === 'whole-record' ? 'record.whole-record-reviewed' : 'record.reviewed',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        patientId: p.id,
        request: ctx.meta,
      },
      now,
    );
    return now;
  });
}
