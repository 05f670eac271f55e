// Older records (historic access): the patient asks, a clinician grants or refuses. Granting
// switches historic access on in the patient's settings (kept by accounts) in the same transaction.
import type { Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff } from '../../platform/auth/permissions.ts';
import { auditedChange } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { grantHistoricAccessTx } from '../../accounts/index.ts';
import { permissions } from '../permissions.ts';
import { ownRecordAccess } from '../access/service.ts';
import * as store from './store.ts';

// --- Patients: asking for older records -----------------------------------------------------

export type HistoricRequestState = {
  pending: { requestedAt: Date } | null;
  hasHistoric: boolean;
  lastDecision: { status: string; decidedAt: Date | null; note: string | null } | null;
};

export async function ownHistoricRequest(ctx: Ctx, actor: Actor | null): Promise<HistoricRequestState> {
  const { me, access } = await ownRecordAccess(ctx, actor);
  const rows = await store.historicRequestsOf(ctx.db, me);
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

/** A unique index allows one open request a patient: a second insert fails with 23505. */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === '23505';
}

export async function requestHistoricAccess(
  ctx: Ctx,
  actor: Actor | null,
  note: string | null,
): Promise<void> {
  const own = await ownRecordAccess(ctx, actor);
  const { me, access } = own;
  if (access.historicAccess)
    throw new AppError('conflict', 'You can already see your older records.', { reason: 'already-granted' });
  const text = note?.trim() || null;
  if (text && text.length > 1000)
    throw AppError.invalid([{ field: 'note', message: 'Your message must be 1000 characters or fewer' }]);
  const now = ctx.clock.now();
  try {
    await auditedChange(
      ctx,
      own.actor,
      {
        action: 'record.historic-access-requested',
        practiceOds: me.practiceOds,
        patientId: me.patientId,
      },
      (tx) => store.insertHistoricRequest(tx, { ...me, note: text }, now),
    );
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', 'You have already asked. Your practice will look at your request.', {
        reason: 'already-requested',
      });
    throw err;
  }
}

// --- Practice: decisions -------------------------------------------------------------------

export async function decideHistoricAccess(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
  input: { decision: string; note?: string | null },
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.decideHistoric);
  const decision = input.decision;
  if (decision !== 'granted' && decision !== 'refused')
    throw AppError.invalid([
      { field: 'decision', message: 'Choose whether to grant or refuse access to older records' },
    ]);
  const note = input.note?.trim() || null;
  if (decision === 'refused' && !note)
    throw AppError.invalid([
      { field: 'note', message: 'Give the reason for refusing (the patient will see it)' },
    ]);
  const now = ctx.clock.now();
  await auditedChange(
    ctx,
    staff,
    { action: `record.historic-access-${decision}`, patientId, details: { note } },
    async (tx) => {
      const req = await store.openHistoricRequestForUpdate(tx, { practiceOds: staff.practiceOds, patientId });
      if (!req)
        throw new AppError('not-found', 'There is no open request for older records from this patient.');
      await store.decideHistoricRequest(tx, { id: req.id, decision, by: staff.staffId, note }, now);
      if (decision === 'granted')
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
    },
  );
}
