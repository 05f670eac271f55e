// The practice's appointment book: viewing it, booking, moving and cancelling for patients (with
// a reason the patient sees), and recording arrived / seen / did not attend. Audited.
import { randomUUID } from 'node:crypto';
import { recordAuditAlone } from '../platform/audit/audit.ts';
import { auditRead } from '../platform/audit/read.ts';
import { auditActor, type Actor } from '../platform/auth/actor.ts';
import { assertOwnPracticeStaff, type PracticeStaff } from '../platform/auth/permissions.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/index.ts';
import type { AppointmentStatus } from '../platform/db/schema.ts';
import { AppError } from '../platform/http/errors.ts';
import { accountForPatient, patientById, patientByNhsNumber as findByNhsNumber } from '../accounts/index.ts';
import { enqueue } from '../notifications/index.ts';
import { permissions } from './permissions.ts';
import { addDays, localInstant, nextStatuses } from './rules.ts';
import { messageFields } from './service.ts';
import { audited } from './staff-audit.ts';
import * as setupStore from './setup-store.ts';
import * as store from './store.ts';

// --- The appointment book -------------------------------------------------------------------------------

export async function appointmentBook(
  ctx: Ctx,
  actor: Actor | null,
  q: { from: string; days: number; practitionerId?: string | undefined; locationId?: string | undefined },
) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewBook);
  const rows = await store.book(
    ctx.db,
    staff.practiceOds,
    localInstant(q.from, '00:00'),
    localInstant(addDays(q.from, q.days), '00:00'),
    q.practitionerId,
    q.locationId,
  );
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(staff),
      action: 'appointments.book.view',
      outcome: 'success',
      practiceOds: staff.practiceOds,
      subject: `book:${q.from}+${String(q.days)}`,
      details: { patients: rows.filter((r) => r.patient_id).length },
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
  return rows;
}

async function notifyPatient(
  tx: Tx,
  ods: string,
  patientId: string,
  kind: 'appointment-booked' | 'appointment-cancelled',
  a: store.AppointmentRow,
  now: Date,
  extra: Record<string, string> = {},
) {
  const account = await accountForPatient(tx, patientId);
  if (account?.email)
    await enqueue(
      tx,
      {
        practiceOds: ods,
        patientId,
        kind,
        email: account.email,
        personalisation: { ...messageFields(a), ...extra },
        reference: a.id,
      },
      now,
    );
}

type StaffBooking = { slotId: string; patientId: string; reason?: string | null; movedFrom?: string | null };

async function bookTx(
  tx: Tx,
  ctx: Ctx,
  staff: PracticeStaff,
  input: StaffBooking,
): Promise<store.AppointmentRow> {
  const now = ctx.clock.now();
  if (!(await store.lockPatient(tx, staff.practiceOds, input.patientId)))
    throw new AppError('not-found', 'No such patient at this practice.');
  const slot = await store.slotForBooking(tx, staff.practiceOds, input.slotId);
  if (!slot) throw new AppError('not-found', 'There is no such slot.', { reason: 'no-such-slot' });
  if (slot.withdrawn)
    throw new AppError('conflict', 'This slot’s session has been cancelled. Choose another.', {
      reason: 'withdrawn',
    });
  const id = await store.insertAppointment(tx, {
    id: randomUUID(),
    practiceOds: staff.practiceOds,
    slotId: input.slotId,
    patientId: input.patientId,
    reason: input.reason?.trim() || null,
    online: false,
    byType: 'staff',
    by: staff.staffId,
    now,
    movedFrom: input.movedFrom ?? null,
  });
  if (!id)
    throw new AppError('conflict', 'This slot has just been booked. Choose another.', {
      reason: 'slot-taken',
    });
  const a = await store.appointment(tx, staff.practiceOds, id);
  if (!a) throw new Error('appointment vanished inside its own transaction');
  const moved: Record<string, string> = input.movedFrom
    ? { reason: 'Your appointment was moved to this time.' }
    : {};
  await notifyPatient(tx, staff.practiceOds, input.patientId, 'appointment-booked', a, now, moved);
  await audited(tx, ctx, staff, {
    action: 'appointment.book',
    subject: `appointment:${id}`,
    patientId: input.patientId,
    details: { slotId: input.slotId, online: false, movedFrom: input.movedFrom ?? null },
  });
  return a;
}

async function cancelTx(tx: Tx, ctx: Ctx, staff: PracticeStaff, id: string, reason: string, notify: boolean) {
  const now = ctx.clock.now();
  const a = await store.appointment(tx, staff.practiceOds, id, true);
  if (!a) throw new AppError('not-found', 'There is no such appointment.');
  if (a.status !== 'booked')
    throw new AppError('conflict', 'Only a booked appointment can be cancelled or moved.', {
      reason: 'not-cancellable',
    });
  await store.setStatus(tx, staff.practiceOds, id, 'cancelled', now, { byType: 'staff', reason });
  if (notify)
    await notifyPatient(tx, staff.practiceOds, a.patient_id, 'appointment-cancelled', a, now, { reason });
  await audited(tx, ctx, staff, {
    action: 'appointment.cancel',
    subject: `appointment:${id}`,
    patientId: a.patient_id,
    details: { by: 'staff', reason },
  });
  return a;
}

/** Staff book any free slot for a patient (held-back and practice-only slots included); online rules do not apply. */
export async function bookForPatient(
  ctx: Ctx,
  actor: Actor | null,
  input: StaffBooking,
): Promise<store.AppointmentRow> {
  const staff = assertOwnPracticeStaff(actor, permissions.bookForPatient);
  return ctx.db.transaction().execute((tx) => bookTx(tx, ctx, staff, input));
}

/** Cancels for the practice, with a reason the patient sees; the slot is free again at once. */
export async function cancelForPatient(
  ctx: Ctx,
  actor: Actor | null,
  id: string,
  reason: string,
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.bookForPatient);
  if (!reason.trim())
    throw AppError.invalid([{ field: 'reason', message: 'Enter a reason the patient will see' }]);
  await ctx.db.transaction().execute((tx) => cancelTx(tx, ctx, staff, id, reason.trim(), true));
}

/** Moves an appointment to another free slot in one transaction: both happen, or neither. */
export async function moveAppointment(
  ctx: Ctx,
  actor: Actor | null,
  id: string,
  toSlotId: string,
  reason: string,
): Promise<store.AppointmentRow> {
  const staff = assertOwnPracticeStaff(actor, permissions.bookForPatient);
  return ctx.db.transaction().execute(async (tx) => {
    const old = await cancelTx(tx, ctx, staff, id, reason.trim() || 'Moved to another time', false);
    return bookTx(tx, ctx, staff, {
      slotId: toSlotId,
      patientId: old.patient_id,
      reason: old.reason,
      movedFrom: id,
    });
  });
}

export async function recordStatus(
  ctx: Ctx,
  actor: Actor | null,
  id: string,
  to: AppointmentStatus,
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.recordAttendance);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const a = await store.appointment(tx, staff.practiceOds, id, true);
    if (!a) throw new AppError('not-found', 'There is no such appointment.');
    if (!nextStatuses(a.status, a.starts_at, now).includes(to))
      throw new AppError('conflict', `An appointment that is ${a.status} cannot be marked ${to} now.`, {
        reason: 'status-order',
      });
    await store.setStatus(tx, staff.practiceOds, id, to, now);
    await audited(tx, ctx, staff, {
      action: `appointment.${to}`,
      subject: `appointment:${id}`,
      patientId: a.patient_id,
    });
  });
}

/** One appointment for staff: who, when, what can be recorded next, and free slots of its type to move it to. */
export async function staffAppointment(ctx: Ctx, actor: Actor | null, id: string) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewBook);
  const a = await store.appointment(ctx.db, staff.practiceOds, id);
  if (!a) throw new AppError('not-found', 'There is no such appointment.');
  const now = ctx.clock.now();
  const patient = await patientById(ctx.db, staff.practiceOds, a.patient_id);
  if (!patient) throw new Error('appointment without its patient');
  const slot = await store.slotForBooking(ctx.db, staff.practiceOds, a.slot_id);
  const moveTo = slot
    ? (
        await store.freeSlots(ctx.db, staff.practiceOds, {
          from: now,
          to: new Date(now.getTime() + 28 * 86_400_000),
          slotTypeId: slot.slot_type_id,
          online: null,
          limit: 30,
        })
      ).filter((s) => s.id !== a.slot_id)
    : [];
  await auditRead(
    ctx,
    staff,
    { practiceOds: staff.practiceOds, patientId: a.patient_id },
    'appointment.view',
    `appointment:${id}`,
  );
  return { appointment: a, patient, next: nextStatuses(a.status, a.starts_at, now), moveTo };
}

/** A free slot staff are about to book, and the patient with this NHS number at the practice, if given. */
export async function slotToBook(ctx: Ctx, actor: Actor | null, slotId: string) {
  const staff = assertOwnPracticeStaff(actor, permissions.bookForPatient);
  const slot = await store.slotForBooking(ctx.db, staff.practiceOds, slotId);
  if (!slot) throw new AppError('not-found', 'There is no such slot.');
  return slot;
}

export async function patientByNhsNumber(ctx: Ctx, actor: Actor | null, nhsNumber: string): Promise<string> {
  const staff = assertOwnPracticeStaff(actor, permissions.bookForPatient);
  const nhs = nhsNumber.replace(/\s/g, '');
  if (!/^\d{10}$/.test(nhs))
    throw AppError.invalid([{ field: 'nhsNumber', message: 'Enter the patient’s 10-digit NHS number' }]);
  const p = await findByNhsNumber(ctx.db, staff.practiceOds, nhs);
  if (!p)
    throw AppError.invalid([
      { field: 'nhsNumber', message: 'No patient with this NHS number is registered at your practice' },
    ]);
  return p.id;
}

/**
 * Cancels a whole session (the practitioner is away): its slots are withdrawn so none is offered
 * again, and each booked appointment is cancelled with the reason, which the patient is sent.
 */
export async function cancelSession(
  ctx: Ctx,
  actor: Actor | null,
  sessionId: string,
  reason: string,
): Promise<{ cancelledAppointments: number }> {
  const staff = assertOwnPracticeStaff(actor, permissions.manageSessions);
  if (!reason.trim())
    throw AppError.invalid([{ field: 'reason', message: 'Enter a reason patients will see' }]);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const session = await tx
      .selectFrom('clinic_sessions')
      .select(['id', 'cancelled_at'])
      .where('practice_ods', '=', staff.practiceOds)
      .where('id', '=', sessionId)
      .forUpdate()
      .executeTakeFirst();
    if (!session) throw new AppError('not-found', 'There is no such session.');
    if (session.cancelled_at)
      throw new AppError('conflict', 'This session is already cancelled.', { reason: 'cancelled' });
    await tx
      .updateTable('clinic_sessions')
      .set({ cancelled_at: now, cancel_reason: reason.trim() })
      .where('id', '=', sessionId)
      .execute();
    await tx.updateTable('slots').set({ withdrawn: true }).where('session_id', '=', sessionId).execute();
    const booked = await tx
      .selectFrom('appointments as a')
      .innerJoin('slots as s', 's.id', 'a.slot_id')
      .select('a.id')
      .where('s.session_id', '=', sessionId)
      .where('a.status', '=', 'booked')
      .execute();
    for (const a of booked) await cancelTx(tx, ctx, staff, a.id, reason.trim(), true);
    await audited(tx, ctx, staff, {
      action: 'appointments.session.cancel',
      subject: `session:${sessionId}`,
      details: { reason: reason.trim(), cancelledAppointments: booked.length },
    });
    return { cancelledAppointments: booked.length };
  });
}

export async function sessionsOn(ctx: Ctx, actor: Actor | null, fromDay: string, days: number) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewBook);
  return setupStore.sessionsBetween(ctx.db, staff.practiceOds, fromDay, addDays(fromDay, days));
}

/** A session of the practice, to confirm cancelling it. */
export async function sessionToCancel(ctx: Ctx, actor: Actor | null, id: string) {
  const staff = assertOwnPracticeStaff(actor, permissions.manageSessions);
  const s = await ctx.db
    .selectFrom('clinic_sessions as c')
    .innerJoin('practitioners as p', 'p.id', 'c.practitioner_id')
    .select(['c.id', 'c.day', 'c.start_time', 'c.end_time', 'p.name'])
    .where('c.id', '=', id)
    .where('c.practice_ods', '=', staff.practiceOds)
    .executeTakeFirst();
  if (!s) throw new AppError('not-found', 'There is no such session.');
  return s;
}
