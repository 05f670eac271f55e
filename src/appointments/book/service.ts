// The practice's appointment book: viewing it, booking, moving and cancelling for patients (with
// a reason the patient sees), recording arrived / seen / did not attend, and cancelling a whole
// session. Audited.
import { randomUUID } from 'node:crypto';
import {
  accountForPatient,
  patientById,
  patientByNhsNumber as findByNhsNumber,
} from '../../accounts/index.ts';
import { enqueue } from '../../notifications/index.ts';
import { audit, auditAlone } from '../../platform/audit/use-case.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff, type PracticeStaff } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { AppointmentStatus } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/http/errors.ts';
import { permissions } from '../permissions.ts';
import { messageFields, statusText } from '../present.ts';
import { addDays, bookingReason, localInstant, MAX_REASON, nextStatuses } from '../rules.ts';
import * as setupStore from '../setup/store.ts';
import * as store from '../store.ts';
import * as bookStore from './store.ts';

export async function appointmentBook(
  ctx: Ctx,
  actor: Actor | null,
  q: { from: string; days: number; practitionerId?: string | undefined; locationId?: string | undefined },
) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewBook);
  const rows = await bookStore.book(ctx.db, staff.practiceOds, {
    from: localInstant(q.from, '00:00'),
    to: localInstant(addDays(q.from, q.days), '00:00'),
    practitionerId: q.practitionerId,
    locationId: q.locationId,
  });
  await auditAlone(ctx, staff, {
    action: 'appointments.book.view',
    subject: `book:${q.from}+${String(q.days)}`,
    details: { patients: rows.filter((r) => r.patient_id).length },
  });
  return rows;
}

type Notice = {
  patientId: string;
  kind: 'appointment-booked' | 'appointment-cancelled';
  appointment: store.AppointmentRow;
  extra?: Record<string, string>;
  now: Date;
};

/** Tells the patient by email, if their account has one, through the outbox in this transaction. */
async function notifyPatient(tx: Tx, staff: PracticeStaff, n: Notice): Promise<void> {
  const account = await accountForPatient(tx, n.patientId);
  if (account?.email)
    await enqueue(
      tx,
      {
        practiceOds: staff.practiceOds,
        patientId: n.patientId,
        kind: n.kind,
        email: account.email,
        personalisation: { ...messageFields(n.appointment), ...(n.extra ?? {}) },
        reference: n.appointment.id,
      },
      n.now,
    );
}

/** A reason staff give (for a booking, a cancellation, a move): at most `MAX_REASON` characters, refused at its field, never cut. */
function staffReason(raw: string | null | undefined, field: string): string | null {
  const { reason, tooLong } = bookingReason(raw);
  if (tooLong)
    throw AppError.invalid([
      { field, message: `The reason must be ${String(MAX_REASON)} characters or less` },
    ]);
  return reason;
}

export type StaffBooking = {
  slotId: string;
  patientId: string;
  reason?: string | null | undefined;
  movedFrom?: string | null;
};

async function bookTx(
  tx: Tx,
  ctx: Ctx,
  staff: PracticeStaff,
  input: StaffBooking,
): Promise<store.AppointmentRow> {
  const now = ctx.clock.now();
  if (!(await store.lockPatient(tx, staff.practiceOds, input.patientId)))
    throw new AppError('not-found', 'No such patient at this practice.');
  const slot = await store.slotForBooking(tx, staff.practiceOds, { slotId: input.slotId });
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
    reason: input.movedFrom ? (input.reason ?? null) : staffReason(input.reason, 'reason'),
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
  await notifyPatient(tx, staff, {
    patientId: input.patientId,
    kind: 'appointment-booked',
    appointment: a,
    extra: input.movedFrom ? { reason: 'Your appointment was moved to this time.' } : {},
    now,
  });
  await audit(tx, ctx, staff, {
    action: 'appointment.book',
    subject: `appointment:${id}`,
    patientId: input.patientId,
    details: { slotId: input.slotId, online: false, movedFrom: input.movedFrom ?? null },
  });
  return a;
}

async function cancelTx(
  tx: Tx,
  ctx: Ctx,
  staff: PracticeStaff,
  c: { id: string; reason: string; notify: boolean },
): Promise<store.AppointmentRow> {
  const { id, reason } = c;
  const now = ctx.clock.now();
  const a = await store.appointmentForUpdate(tx, staff.practiceOds, id);
  if (!a) throw new AppError('not-found', 'There is no such appointment.');
  if (a.status !== 'booked')
    throw new AppError('conflict', 'Only a booked appointment can be cancelled or moved.', {
      reason: 'not-cancellable',
    });
  await store.setStatus(tx, staff.practiceOds, {
    id,
    to: 'cancelled',
    now,
    cancel: { byType: 'staff', reason },
  });
  if (c.notify)
    await notifyPatient(tx, staff, {
      patientId: a.patient_id,
      kind: 'appointment-cancelled',
      appointment: a,
      extra: { reason },
      now,
    });
  await audit(tx, ctx, staff, {
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
  c: { id: string; reason: string },
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.bookForPatient);
  const reason = staffReason(c.reason, 'reason');
  if (!reason) throw AppError.invalid([{ field: 'reason', message: 'Enter a reason the patient will see' }]);
  await ctx.db.transaction().execute((tx) => cancelTx(tx, ctx, staff, { id: c.id, reason, notify: true }));
}

/** Moves an appointment to another free slot in one transaction: both happen, or neither. */
export async function moveAppointment(
  ctx: Ctx,
  actor: Actor | null,
  m: { id: string; toSlotId: string; reason: string },
): Promise<store.AppointmentRow> {
  const staff = assertOwnPracticeStaff(actor, permissions.bookForPatient);
  const reason = staffReason(m.reason, 'moveReason');
  return ctx.db.transaction().execute(async (tx) => {
    const old = await cancelTx(tx, ctx, staff, {
      id: m.id,
      reason: reason ?? 'Moved to another time',
      notify: false,
    });
    return bookTx(tx, ctx, staff, {
      slotId: m.toSlotId,
      patientId: old.patient_id,
      reason: old.reason,
      movedFrom: m.id,
    });
  });
}

export async function recordStatus(
  ctx: Ctx,
  actor: Actor | null,
  s: { id: string; to: AppointmentStatus },
): Promise<void> {
  const { id, to } = s;
  const staff = assertOwnPracticeStaff(actor, permissions.recordAttendance);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const a = await store.appointmentForUpdate(tx, staff.practiceOds, id);
    if (!a) throw new AppError('not-found', 'There is no such appointment.');
    if (!nextStatuses(a.status, a.starts_at, now).includes(to))
      throw new AppError(
        'conflict',
        `This appointment cannot be marked as ${statusText(to).toLowerCase()} now. ${
          a.status === 'booked'
            ? 'It has not started yet.'
            : a.status === 'cancelled'
              ? 'It has been cancelled.'
              : `It is already marked as ${statusText(a.status).toLowerCase()}.`
        }`,
        { reason: 'status-order' },
      );
    await store.setStatus(tx, staff.practiceOds, { id, to, now });
    await audit(tx, ctx, staff, {
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
  const slot = await store.slotForBooking(ctx.db, staff.practiceOds, { slotId: a.slot_id });
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
  await auditAlone(ctx, staff, {
    action: 'appointment.view',
    subject: `appointment:${id}`,
    patientId: a.patient_id,
  });
  return { appointment: a, patient, next: nextStatuses(a.status, a.starts_at, now), moveTo };
}

/** A free slot staff are about to book. */
export async function slotToBook(ctx: Ctx, actor: Actor | null, slotId: string) {
  const staff = assertOwnPracticeStaff(actor, permissions.bookForPatient);
  const slot = await store.slotForBooking(ctx.db, staff.practiceOds, { slotId });
  if (!slot) throw new AppError('not-found', 'There is no such slot.');
  return slot;
}

/** The patient with this NHS number at the staff member's practice. */
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
  c: { sessionId: string; reason: string },
): Promise<{ cancelledAppointments: number }> {
  const { sessionId } = c;
  const staff = assertOwnPracticeStaff(actor, permissions.manageSessions);
  const reason = staffReason(c.reason, 'reason');
  if (!reason) throw AppError.invalid([{ field: 'reason', message: 'Enter a reason patients will see' }]);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const session = await bookStore.sessionForUpdate(tx, staff.practiceOds, sessionId);
    if (!session) throw new AppError('not-found', 'There is no such session.');
    if (session.cancelled_at)
      throw new AppError('conflict', 'This session is already cancelled.', { reason: 'cancelled' });
    await bookStore.withdrawSession(tx, { id: sessionId, reason, now });
    const booked = await bookStore.bookedInSession(tx, sessionId);
    for (const a of booked) await cancelTx(tx, ctx, staff, { id: a.id, reason, notify: true });
    await audit(tx, ctx, staff, {
      action: 'appointments.session.cancel',
      subject: `session:${sessionId}`,
      details: { reason, cancelledAppointments: booked.length },
    });
    return { cancelledAppointments: booked.length };
  });
}

export async function sessionsOn(ctx: Ctx, actor: Actor | null, on: { fromDay: string; days: number }) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewBook);
  return setupStore.sessionsBetween(ctx.db, staff.practiceOds, {
    fromDay: on.fromDay,
    toDay: addDays(on.fromDay, on.days),
  });
}

/** A session of the practice, to confirm cancelling it. */
export async function sessionToCancel(ctx: Ctx, actor: Actor | null, id: string) {
  const staff = assertOwnPracticeStaff(actor, permissions.manageSessions);
  const s = await bookStore.session(ctx.db, staff.practiceOds, id);
  if (!s) throw new AppError('not-found', 'There is no such session.');
  return s;
}
