// Patients finding and booking appointments online. Every rule is checked again inside the
// booking transaction, after the patient's row is locked; the slot's uniqueness is the database's.
// Each booking is audited; confirmations go to the notifications outbox in the same transaction.
import { createHash, randomUUID } from 'node:crypto';
import { enqueue } from '../../notifications/index.ts';
import { audit } from '../../platform/audit/use-case.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { AppError } from '../../platform/http/errors.ts';
import { messageFields, slotJson } from '../present.ts';
import {
  addDays,
  ALREADY_BOOKED,
  BOOKING_REFUSALS,
  bookingReason,
  bookingRefusal,
  DEFAULT_RULES,
  effectiveRules,
  localDay,
  localInstant,
  MAX_REASON,
  SLOT_TAKEN,
  type BookingRefusal,
  type SlotTypeRules,
} from '../rules.ts';
import * as setupStore from '../setup/store.ts';
import * as store from '../store.ts';
import { assertBookingOn, bookerFor, linkedPatient, type Booker } from './booker.ts';
import * as idempotency from '../../platform/db/idempotency-store.ts';

/** Slot types a patient can book online, with the guidance shown before booking. */
export async function bookableTypes(ctx: Ctx, actor: Actor | null) {
  const me = await bookerFor(ctx, actor);
  const rules = await setupStore.practiceRules(ctx.db, me.practiceOds);
  const types = await setupStore.slotTypes(ctx.db, me.practiceOds);
  return types
    .filter((t) => t.active && t.bookable_online && !t.practice_only)
    .map((t) => ({
      id: t.id,
      name: t.name,
      channel: t.channel,
      durationMinutes: t.duration_minutes,
      guidance: effectiveRules(rules, typeRules(t)).guidance,
    }));
}

function typeRules(t: {
  bookable_online: boolean;
  practice_only: boolean;
  active: boolean;
  release_days_before: number | null;
  release_time: string | null;
  horizon_days: number | null;
  guidance: string | null;
}): SlotTypeRules {
  return {
    bookableOnline: t.bookable_online,
    practiceOnly: t.practice_only,
    active: t.active,
    releaseDaysBefore: t.release_days_before,
    releaseTime: t.release_time,
    horizonDays: t.horizon_days,
    guidance: t.guidance,
  };
}

export type SlotSearch = {
  from?: string | undefined;
  to?: string | undefined;
  slotTypeId?: string | undefined;
  practitionerId?: string | undefined;
  channel?: store.SlotFilter['channel'];
  limit?: number | undefined;
};

/** At most two weeks a search, as GP Connect agreed (domain.md §8.2). */
const MAX_SEARCH_DAYS = 14;

/** Free slots the patient could book now: released, bookable online, within the horizon. */
export async function findSlots(ctx: Ctx, actor: Actor | null, q: SlotSearch): Promise<store.FreeSlot[]> {
  const me = await bookerFor(ctx, actor);
  const ods = me.practiceOds;
  const now = ctx.clock.now();
  const today = localDay(now);
  const rules = await setupStore.practiceRules(ctx.db, ods);
  const fromDay = q.from && q.from > today ? q.from : today;
  const horizonEnd = addDays(today, rules.horizonDays + 1);
  let toDay = q.to ? addDays(q.to, 1) : addDays(fromDay, MAX_SEARCH_DAYS);
  if (toDay > addDays(fromDay, MAX_SEARCH_DAYS)) toDay = addDays(fromDay, MAX_SEARCH_DAYS);
  if (toDay > horizonEnd) toDay = horizonEnd;
  if (toDay <= fromDay) return [];
  const slots = await store.freeSlots(ctx.db, ods, {
    from: localInstant(fromDay, '00:00'),
    to: localInstant(toDay, '00:00'),
    slotTypeId: q.slotTypeId,
    practitionerId: q.practitionerId,
    channel: q.channel,
    online: { now },
    limit: Math.min(Math.max(q.limit ?? 200, 1), 500),
  });
  // A slot type's own horizon may be shorter than the practice's.
  const types = new Map((await setupStore.slotTypes(ctx.db, ods)).map((t) => [t.id, t]));
  return slots.filter((s) => {
    const t = types.get(s.slot_type_id);
    const h = t?.horizon_days ?? rules.horizonDays;
    return localDay(s.starts_at) <= addDays(today, h);
  });
}

type BookableSlot = NonNullable<Awaited<ReturnType<typeof store.slotForBooking>>>;

/** Why the rules refuse this patient this slot now, or null: the same check for the preview and the booking. */
async function refusalFor(
  q: Tx | Ctx['db'],
  c: { booker: Booker; slot: BookableSlot; now: Date },
): Promise<{ refusal: BookingRefusal | null; guidance: string }> {
  const { booker: me, slot, now } = c;
  const rules = effectiveRules(setupStore.rulesFromRow(slot.practice_rules), typeRules(slot));
  const counts = await store.patientCounts(q, me.practiceOds, {
    patientId: me.patientId,
    now,
    missedSince: new Date(now.getTime() - rules.dnaWindowDays * 86_400_000),
  });
  const refusal = bookingRefusal({
    now,
    slot: { startsAt: slot.starts_at, releaseAt: slot.release_at, withdrawn: slot.withdrawn },
    type: { bookableOnline: slot.bookable_online, practiceOnly: slot.practice_only, active: slot.active },
    rules,
    futureOnlineBookings: counts.futureOnline,
    recentMissed: counts.missed,
  });
  return { refusal, guidance: rules.guidance };
}

/** A slot the patient is about to book, with the guidance to read first and any rule that stops it now. */
export async function previewBooking(ctx: Ctx, actor: Actor | null, slotId: string) {
  const me = await bookerFor(ctx, actor);
  const now = ctx.clock.now();
  const slot = await store.slotForBooking(ctx.db, me.practiceOds, { slotId });
  if (!slot || slot.practice_only) throw new AppError('not-found', 'There is no such appointment.');
  // Taken by this patient (Back after booking): their appointment, not "taken by someone else".
  const mine = slot.taken
    ? await store.ownLiveAppointment(ctx.db, me.practiceOds, { slotId, patientId: me.patientId })
    : undefined;
  const judged = await refusalFor(ctx.db, { booker: me, slot, now });
  return {
    slot,
    guidance: judged.guidance,
    refusal: (slot.taken ? SLOT_TAKEN : null) ?? judged.refusal,
    mine: mine ?? null,
  };
}

/** The patient booked this slot already: a conflict that names their appointment, never "taken by someone else". */
function alreadyBooked(appointmentId: string): AppError {
  return new AppError('conflict', ALREADY_BOOKED.message, {
    reason: ALREADY_BOOKED.reason,
    extra: { appointmentId },
  });
}

/** A reason over the limit: named at its field, and the page keeps what was typed. */
export function reasonTooLong(): AppError {
  return AppError.invalid([
    {
      field: 'reason',
      message: `What the appointment is about must be ${String(MAX_REASON)} characters or less`,
    },
  ]);
}

/** The appointment id a refusal "already booked by you" names. */
export function alreadyBookedId(err: AppError): string | null {
  const id = err.extra.appointmentId;
  return err.reason === ALREADY_BOOKED.reason && typeof id === 'string' ? id : null;
}

export type Booked = { appointment: store.AppointmentRow; replayed: boolean };

/** A booking refused by the rules or by a faster patient; a taken slot's refusal offers the next free ones. */
function refused(refusal: BookingRefusal, alternatives: store.FreeSlot[] = []): AppError {
  return new AppError('conflict', refusal.message, {
    reason: refusal.reason,
    ...(refusal.reason === SLOT_TAKEN.reason ? { extra: { alternatives: alternatives.map(slotJson) } } : {}),
  });
}

const REFUSAL_REASONS = new Set<string>(BOOKING_REFUSALS);

/** Whether an error is a booking refusal (shown on the refusal page), not a missing slot or a reused key. */
export function isBookingRefusal(err: unknown): err is AppError {
  return err instanceof AppError && err.code === 'conflict' && REFUSAL_REASONS.has(err.reason ?? '');
}

function requestHash(slotId: string, reason: string | null): string {
  return createHash('sha256')
    .update(JSON.stringify([slotId, reason]))
    .digest('hex');
}

/**
 * Books a slot for the signed-in patient. With an Idempotency-Key, a retry of the same request
 * returns the first answer and never books twice; the same key with a different request is refused.
 * A refusal names its reason; when the slot was just taken, the next three free slots of the same
 * type come with it.
 */
export async function bookOwn(
  ctx: Ctx,
  actor: Actor | null,
  input: { slotId: string; reason?: string | null | undefined; idempotencyKey?: string | undefined },
): Promise<Booked> {
  // One query says whether booking is on for the patient, and the slot with whether it is taken.
  const { actor: patient, booker: me, proofingLevel } = linkedPatient(actor);
  const pre = await store.slotForBooking(ctx.db, me.practiceOds, {
    slotId: input.slotId,
    patientId: me.patientId,
  });
  if (pre) assertBookingOn(proofingLevel, pre.booking_on === true);
  else await bookerFor(ctx, actor);
  const { reason, tooLong } = bookingReason(input.reason);
  if (tooLong) throw reasonTooLong();
  const now = ctx.clock.now();
  // A slot already taken is refused before any transaction: in a rush most attempts are these.
  // With an Idempotency-Key the request goes on, so that a retry of a booking that succeeded replays it.
  if (!input.idempotencyKey && pre?.taken) {
    const mine = await store.ownLiveAppointment(ctx.db, me.practiceOds, {
      slotId: input.slotId,
      patientId: me.patientId,
    });
    if (mine) throw alreadyBooked(mine);
    throw refused(SLOT_TAKEN, await nextFree(ctx, me.practiceOds, pre));
  }
  const key = input.idempotencyKey;
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      if (key) {
        const hash = requestHash(input.slotId, reason);
        const earlier = await idempotency.claimIdempotencyKey(tx, {
          accountId: me.accountId,
          key,
          practiceOds: me.practiceOds,
          requestHash: hash,
          now,
        });
        if (earlier) {
          // The same page sent again with the reason changed (Back, edit, confirm): their appointment.
          const mine =
            earlier.requestHash !== hash
              ? await store.ownLiveAppointment(tx, me.practiceOds, {
                  slotId: input.slotId,
                  patientId: me.patientId,
                })
              : undefined;
          if (mine) throw alreadyBooked(mine);
          if (earlier.requestHash !== hash)
            throw new AppError('conflict', 'This Idempotency-Key was used for a different booking request.', {
              reason: 'idempotency-key-reused',
            });
          const id = storedId(earlier.response);
          const again = id ? await store.appointment(tx, me.practiceOds, id) : undefined;
          if (!again) throw new AppError('conflict', 'The earlier request with this key is not finished.');
          return { appointment: again, replayed: true };
        }
      }
      const appointment = await bookInTx(tx, ctx, {
        actor: patient,
        booker: me,
        slotId: input.slotId,
        reason,
        now,
      });
      if (key)
        await idempotency.storeIdempotentResponse(tx, {
          accountId: me.accountId,
          key,
          statusCode: 201,
          response: { id: appointment.id },
        });
      return { appointment, replayed: false };
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict' && err.reason === SLOT_TAKEN.reason) {
      const slot = await store.slotForBooking(ctx.db, me.practiceOds, { slotId: input.slotId });
      throw refused(SLOT_TAKEN, slot ? await nextFree(ctx, me.practiceOds, slot) : []);
    }
    throw err;
  }
}

/** The appointment id an earlier request with the key stored, if it finished. */
function storedId(response: unknown): string | undefined {
  if (typeof response !== 'object' || response === null || !('id' in response)) return undefined;
  return typeof response.id === 'string' ? response.id : undefined;
}

/** The next three free slots of the same type from a taken slot's time, within the horizon: one query. */
async function nextFree(ctx: Ctx, ods: string, slot: BookableSlot): Promise<store.FreeSlot[]> {
  const now = ctx.clock.now();
  const horizon = slot.horizon_days ?? slot.practice_horizon_days ?? DEFAULT_RULES.horizonDays;
  const until = localInstant(addDays(localDay(now), horizon + 1), '00:00');
  const from = slot.starts_at > now ? slot.starts_at : now;
  const to = new Date(Math.min(until.getTime(), from.getTime() + MAX_SEARCH_DAYS * 86_400_000));
  if (to <= from) return [];
  const free = await store.freeSlots(ctx.db, ods, {
    from,
    to,
    slotTypeId: slot.slot_type_id,
    online: { now },
    limit: 4,
  });
  return free.filter((s) => s.id !== slot.id).slice(0, 3);
}

/** The booking itself, under the patient's lock: the rules again, then the insert the slot's unique index guards. */
async function bookInTx(
  tx: Tx,
  ctx: Ctx,
  b: { actor: Actor; booker: Booker; slotId: string; reason: string | null; now: Date },
): Promise<store.AppointmentRow> {
  const { booker: me, slotId, reason, now } = b;
  await store.lockPatient(tx, me.practiceOds, me.patientId);
  const slot = await store.slotForBooking(tx, me.practiceOds, { slotId });
  if (!slot) throw new AppError('not-found', 'There is no such appointment.', { reason: 'no-such-slot' });
  // Under the patient's lock: their own booking of this slot is found before any rule or the insert.
  const mine = slot.taken
    ? await store.ownLiveAppointment(tx, me.practiceOds, { slotId, patientId: me.patientId })
    : undefined;
  if (mine) throw alreadyBooked(mine);
  const { refusal } = await refusalFor(tx, { booker: me, slot, now });
  if (refusal) throw refused(refusal);
  const id = await store.insertAppointment(tx, {
    id: randomUUID(),
    practiceOds: me.practiceOds,
    slotId,
    patientId: me.patientId,
    reason,
    online: true,
    byType: 'patient',
    by: me.accountId,
    now,
  });
  if (!id) throw refused(SLOT_TAKEN);
  // The appointment as stored, from what this transaction read and wrote (no read back).
  const appointment: store.AppointmentRow = {
    id,
    patient_id: me.patientId,
    status: 'booked',
    reason,
    booked_online: true,
    booked_by_type: 'patient',
    booked_at: now,
    cancel_reason: null,
    cancelled_by_type: null,
    status_changed_at: now,
    slot_id: slot.id,
    starts_at: slot.starts_at,
    ends_at: slot.ends_at,
    type_name: slot.type_name,
    channel: slot.channel,
    practitioner_name: slot.practitioner_name,
    practitioner_role: slot.practitioner_role,
    location_name: slot.location_name,
    location_address: slot.location_address,
  };
  await enqueue(
    tx,
    {
      practiceOds: me.practiceOds,
      patientId: me.patientId,
      kind: 'appointment-booked',
      email: me.email,
      personalisation: messageFields(appointment),
      reference: id,
    },
    now,
  );
  await audit(tx, ctx, b.actor, {
    action: 'appointment.book',
    practiceOds: me.practiceOds,
    patientId: me.patientId,
    subject: `appointment:${id}`,
    details: { slotId, online: true },
  });
  return appointment;
}
