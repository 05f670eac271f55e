// Practice staff and the GP record: the whole record with visibility, view as patient,
// per-entry redaction, withholding. Every read of patient data is audited; every change is
// audited in its transaction.
import type { Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff, can } from '../../platform/auth/permissions.ts';
import { auditAlone, auditedChange } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { AppError } from '../../platform/http/errors.ts';
import { patientByNhsNumber } from '../../accounts/index.ts';
import type { EntryKind, RecordAccess, RecordEntry } from '../model.ts';
import { permissions } from '../permissions.ts';
import { visibleRecord, type VisibleEntry } from '../access/rules.ts';
import { recordAccessFor } from '../access/service.ts';
import * as entries from '../store.ts';
import type { PatientAt } from '../store.ts';
import { isRedactionReason, looksLikeId } from './rules.ts';
import * as store from './store.ts';

/** A patient at the practice, or not found (another practice's patient is not found either). */
export async function patientAt(db: Db | Tx, of: PatientAt) {
  const p = looksLikeId(of.patientId) ? await store.patientAt(db, of) : undefined;
  if (!p) throw new AppError('not-found', 'No patient with this ID is registered at your practice.');
  return p;
}

export type StaffRecord = {
  patient: Awaited<ReturnType<typeof patientAt>>;
  access: RecordAccess;
  entries: RecordEntry[];
  withheld: { reason: string | null; at: Date | null } | null;
  /** The last whole-record review for online access (historic access needs one after the last import). */
  reviewed: { at: Date; by: string | null } | null;
  canRedact: boolean;
};

/** The whole record as the practice holds it, with each entry's online visibility. */
export async function staffRecord(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
  kinds?: readonly EntryKind[],
): Promise<StaffRecord> {
  const staff = assertOwnPracticeStaff(actor, permissions.viewRecord);
  const patient = await patientAt(ctx.db, { practiceOds: staff.practiceOds, patientId: patientId });
  const of = { practiceOds: staff.practiceOds, patientId: patient.id };
  const [access, all, controls] = await Promise.all([
    recordAccessFor(ctx.db, of),
    entries.allEntries(ctx.db, of, kinds),
    store.controlsFor(ctx.db, of),
  ]);
  await auditAlone(ctx, staff, {
    action: 'record.view',
    patientId: patient.id,
    subject: kinds ? `record:${kinds.join(',')}` : 'record:all',
  });
  return {
    patient,
    access,
    entries: all,
    withheld: controls?.withheld ? { reason: controls.withheld_reason, at: controls.withheld_at } : null,
    reviewed: controls?.whole_record_reviewed_at
      ? { at: controls.whole_record_reviewed_at, by: controls.whole_record_reviewed_by_name }
      : null,
    canRedact: can(staff, permissions.redact, staff.practiceOds),
  };
}

/** "View as patient": exactly what the patient's own pages would show, through the same rule. */
export async function viewAsPatient(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
): Promise<{ access: RecordAccess; entries: VisibleEntry[] }> {
  const staff = assertOwnPracticeStaff(actor, permissions.viewRecord);
  const patient = await patientAt(ctx.db, { practiceOds: staff.practiceOds, patientId: patientId });
  const of = { practiceOds: staff.practiceOds, patientId: patient.id };
  const access = await recordAccessFor(ctx.db, of);
  const shown = visibleRecord(await entries.allEntries(ctx.db, of), access);
  await auditAlone(ctx, staff, {
    action: 'record.view-as-patient',
    patientId: patient.id,
    subject: 'record:as-patient',
  });
  return { access, entries: shown };
}

/**
 * A clinician shows or hides one entry online, with a reason when hiding. The entry must belong
 * to the patient named in the request: another patient's entry is simply not found. (Positional:
 * the demo loader calls it through index.ts.)
 */
export async function setEntryVisibility(
  ctx: Ctx,
  actor: Actor | null,
  input: {
    patientId: string;
    entryId: string;
    visible: boolean;
    reason?: string | null;
    note?: string | null;
  },
): Promise<RecordEntry> {
  const { patientId, entryId } = input;
  const staff = assertOwnPracticeStaff(actor, permissions.redact);
  const reason = input.visible ? null : input.reason;
  if (!input.visible && !isRedactionReason(reason)) {
    throw AppError.invalid([
      { field: 'reason', message: 'Select why this entry should not be visible online' },
    ]);
  }
  const note = input.note?.trim() || null;
  if (note && note.length > 1000)
    throw AppError.invalid([{ field: 'note', message: 'The note must be 1000 characters or fewer' }]);
  const now = ctx.clock.now();
  return auditedChange(
    ctx,
    staff,
    (entry: RecordEntry) => ({
      action: input.visible ? 'record.entry-shown' : 'record.entry-hidden',
      patientId: entry.patientId,
      subject: `entry:${entry.id}`,
      details: { kind: entry.kind, reason: input.visible ? null : input.reason },
    }),
    async (tx) => {
      const entry = looksLikeId(entryId)
        ? await entries.entryById(tx, { practiceOds: staff.practiceOds, entryId })
        : undefined;
      if (!entry || entry.patientId !== patientId)
        throw new AppError('not-found', 'This patient’s record has no such entry.');
      const at = { practiceOds: staff.practiceOds, entryId: entry.id, visible: input.visible };
      await store.setEntryOnline(tx, at, now);
      await store.insertVisibilityDecision(
        tx,
        {
          practiceOds: staff.practiceOds,
          patientId: entry.patientId,
          entryId: entry.id,
          visible: input.visible,
          reason: isRedactionReason(reason) ? reason : null,
          note,
          by: staff.staffId,
        },
        now,
      );
      return { ...entry, visibleOnline: input.visible };
    },
  );
}

/** Withhold or release the whole record online. */
export async function setWithheld(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
  input: { withheld: boolean; reason?: string | null },
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.withhold);
  const reason = input.reason?.trim() || null;
  if (input.withheld && !reason)
    throw AppError.invalid([
      { field: 'reason', message: 'Give the reason for withholding the whole record' },
    ]);
  const patient = await patientAt(ctx.db, { practiceOds: staff.practiceOds, patientId: patientId });
  const now = ctx.clock.now();
  await auditedChange(
    ctx,
    staff,
    {
      action: input.withheld ? 'record.withheld' : 'record.released',
      patientId: patient.id,
      details: { reason },
    },
    (tx) =>
      store.setWithheld(
        tx,
        {
          practiceOds: staff.practiceOds,
          patientId: patient.id,
          withheld: input.withheld,
          reason,
          by: staff.staffId,
        },
        now,
      ),
  );
}

/** A patient at the actor's practice by id or NHS number (the API accepts either). */
export async function resolvePatientRef(ctx: Ctx, actor: Actor | null, ref: string): Promise<string> {
  const staff = assertOwnPracticeStaff(actor, permissions.viewRecord);
  const nhs = ref.replace(/\s/g, '');
  if (/^\d{10}$/.test(nhs)) {
    const p = await patientByNhsNumber(ctx.db, staff.practiceOds, nhs);
    if (!p)
      throw new AppError('not-found', 'No patient with this NHS number is registered at your practice.');
    return p.id;
  }
  return (await patientAt(ctx.db, { practiceOds: staff.practiceOds, patientId: ref })).id;
}
