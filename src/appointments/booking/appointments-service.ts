// A patient's own appointments: the list, one appointment, and cancelling before the practice's
// cut-off (the slot is free again at once). Every read and the cancellation are audited.
import { enqueue } from '../../notifications/index.ts';
import { audit, auditAlone } from '../../platform/audit/use-case.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { messageFields } from '../present.ts';
import { cancelRefusal } from '../rules.ts';
import * as setupStore from '../setup/store.ts';
import * as store from '../store.ts';
import { bookerFor, type Booker } from './booker.ts';

/** Why the patient may not cancel this appointment online now, with it. */
function withCancel<A extends store.AppointmentRow>(a: A, now: Date, cutoffMinutes: number) {
  return {
    ...a,
    cancelRefusal: cancelRefusal({ now, startsAt: a.starts_at, status: a.status, cutoffMinutes }),
  };
}

/** Audit rows about the patient's own appointments are theirs, at their practice. */
const theirs = (me: Booker) => ({ practiceOds: me.practiceOds, patientId: me.patientId });

/** The patient's appointments: upcoming (soonest first) and past (newest first). */
export async function myAppointments(ctx: Ctx, actor: Actor | null) {
  const me = await bookerFor(ctx, actor);
  const now = ctx.clock.now();
  const all = await store.patientAppointments(ctx.db, me.practiceOds, me.patientId);
  const rules = await setupStore.practiceRules(ctx.db, me.practiceOds);
  await auditAlone(ctx, actor, { action: 'appointment.list', subject: 'appointments', ...theirs(me) });
  const judged = (a: store.AppointmentRow) => withCancel(a, now, rules.cancelCutoffMinutes);
  return {
    upcoming: all
      .filter((a) => a.starts_at > now && a.status !== 'cancelled')
      .reverse()
      .map(judged),
    past: all.filter((a) => a.starts_at <= now || a.status === 'cancelled').map(judged),
  };
}

/** One of the patient's own appointments (others' are "not found", never "forbidden"). */
export async function myAppointment(ctx: Ctx, actor: Actor | null, id: string) {
  const me = await bookerFor(ctx, actor);
  const a = await store.appointment(ctx.db, me.practiceOds, id);
  if (!a || a.patient_id !== me.patientId) throw new AppError('not-found', 'There is no such appointment.');
  const now = ctx.clock.now();
  const rules = await setupStore.practiceRules(ctx.db, me.practiceOds);
  await auditAlone(ctx, actor, { action: 'appointment.view', subject: `appointment:${id}`, ...theirs(me) });
  return withCancel(a, now, rules.cancelCutoffMinutes);
}

/** Cancels the patient's own appointment before the practice's cut-off; the slot is free again at once. */
export async function cancelOwn(ctx: Ctx, actor: Actor | null, id: string): Promise<store.AppointmentRow> {
  const me = await bookerFor(ctx, actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const a = await store.appointmentForUpdate(tx, me.practiceOds, id);
    if (!a || a.patient_id !== me.patientId) throw new AppError('not-found', 'There is no such appointment.');
    const rules = await setupStore.practiceRules(tx, me.practiceOds);
    const refusal = withCancel(a, now, rules.cancelCutoffMinutes).cancelRefusal;
    if (refusal) throw new AppError('conflict', refusal.message, { reason: refusal.reason });
    await store.setStatus(tx, me.practiceOds, {
      id,
      to: 'cancelled',
      now,
      cancel: { byType: 'patient', reason: null },
    });
    await enqueue(
      tx,
      {
        practiceOds: me.practiceOds,
        patientId: me.patientId,
        kind: 'appointment-cancelled',
        email: me.email,
        personalisation: { ...messageFields(a), reason: 'You cancelled it online.' },
        reference: id,
      },
      now,
    );
    await audit(tx, ctx, actor, {
      action: 'appointment.cancel',
      ...theirs(me),
      subject: `appointment:${id}`,
      details: { by: 'patient' },
    });
    return { ...a, status: 'cancelled' as const };
  });
}
