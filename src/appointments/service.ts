// Patients booking and cancelling their own appointments online. Every rule is checked again
// inside the booking transaction, after the patient's row is locked; the slot's uniqueness is the
// database's. Each booking, cancellation and view of appointments is audited; confirmations go to
// the notifications outbox in the same transaction.
import { createHash, randomUUID } from 'node:crypto';
import { canUse, NO_SERVICES, settingsFor } from '../accounts/index.ts';
import { enqueue } from '../notifications/index.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { auditActor, type Actor, type PatientActor } from '../platform/auth/actor.ts';
import { assertCan } from '../platform/auth/permissions.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/index.ts';
import { AppError } from '../platform/http/errors.ts';
import { slotJson } from './api-schemas.ts';
import { permissions } from './permissions.ts';
import {
  addDays,
  bookingRefusal,
  DEFAULT_RULES,
  effectiveRules,
  localDay,
  localInstant,
  SLOT_TAKEN,
  spokenWhen,
  type Refusal,
} from './rules.ts';
import * as setupStore from './setup-store.ts';
import * as store from './store.ts';

export type Booker = { accountId: string; email: string; patientId: string; practiceOds: string };

/** A linked patient whose practice has switched online booking on for them. */
export async function bookerFor(ctx: Ctx, actor: Actor | null): Promise<Booker> {
  const { booker, proofingLevel } = linkedPatient(actor);
  const { settings } = await settingsFor(ctx.db, booker.practiceOds, booker.patientId);
  assertBookingOn(proofingLevel, settings.appointments);
  return booker;
}

function linkedPatient(actor: Actor | null): {
  booker: Booker;
  proofingLevel: PatientActor['proofingLevel'];
} {
  assertCan(actor, permissions.bookOwn);
  const p = actor as PatientActor;
  if (!p.patientId || !p.practiceOds)
    throw new AppError('forbidden', 'Link your account to your GP practice first.', { reason: 'not-linked' });
  return {
    booker: { accountId: p.accountId, email: p.email, patientId: p.patientId, practiceOds: p.practiceOds },
    proofingLevel: p.proofingLevel,
  };
}

function assertBookingOn(proofingLevel: PatientActor['proofingLevel'], appointmentsOn: boolean): void {
  if (
    !canUse({ linked: true, proofingLevel }, { ...NO_SERVICES, appointments: appointmentsOn }, 'appointments')
  )
    throw new AppError(
      'forbidden',
      'Your GP practice has not switched on online appointment booking for you.',
      {
        reason: 'booking-off',
      },
    );
}

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

type SlotTypeRow = Awaited<ReturnType<typeof setupStore.slotTypes>>[number];

function typeRules(
  t: Pick<
    SlotTypeRow,
    | 'bookable_online'
    | 'practice_only'
    | 'active'
    | 'release_days_before'
    | 'release_time'
    | 'horizon_days'
    | 'guidance'
  >,
) {
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
  return freeFor(ctx, me.practiceOds, q);
}

async function freeFor(ctx: Ctx, ods: string, q: SlotSearch): Promise<store.FreeSlot[]> {
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

/** A slot the patient is about to book, with the guidance to read first and any rule that stops it now. */
export async function previewBooking(ctx: Ctx, actor: Actor | null, slotId: string) {
  const me = await bookerFor(ctx, actor);
  const now = ctx.clock.now();
  const slot = await store.slotForBooking(ctx.db, me.practiceOds, slotId);
  if (!slot || slot.practice_only) throw new AppError('not-found', 'There is no such appointment.');
  const rules = effectiveRules(setupStore.rulesFromRow(slot.practice_rules), typeRules(slot));
  const counts = await store.patientCounts(
    ctx.db,
    me.practiceOds,
    me.patientId,
    now,
    new Date(now.getTime() - rules.dnaWindowDays * 86_400_000),
  );
  const refusal =
    (slot.taken ? SLOT_TAKEN : null) ??
    bookingRefusal({
      now,
      slot: { startsAt: slot.starts_at, releaseAt: slot.release_at, withdrawn: slot.withdrawn },
      type: { bookableOnline: slot.bookable_online, practiceOnly: slot.practice_only, active: slot.active },
      rules,
      futureOnlineBookings: counts.futureOnline,
      recentMissed: counts.missed,
    });
  return { slot, guidance: rules.guidance, refusal };
}

export type Booked = { appointment: store.AppointmentRow; replayed: boolean };

export class BookingRefused extends AppError {
  readonly alternatives: store.FreeSlot[];
  constructor(refusal: Refusal, alternatives: store.FreeSlot[] = []) {
    super('conflict', refusal.message, {
      reason: refusal.reason,
      ...(refusal.reason === SLOT_TAKEN.reason
        ? { extra: { alternatives: alternatives.map(slotJson) } }
        : {}),
    });
    this.alternatives = alternatives;
  }
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
  const { booker: me, proofingLevel } = linkedPatient(actor);
  const pre = await store.slotForBooking(ctx.db, me.practiceOds, input.slotId, me.patientId);
  if (pre) assertBookingOn(proofingLevel, pre.booking_on === true);
  else await bookerFor(ctx, actor);
  const reason = input.reason?.trim() ? input.reason.trim().slice(0, 500) : null;
  const now = ctx.clock.now();
  // A slot already taken is refused before any transaction: in a rush most attempts are these.
  // With an Idempotency-Key the request goes on, so that a retry of a booking that succeeded replays it.
  if (!input.idempotencyKey && pre?.taken)
    throw new BookingRefused(SLOT_TAKEN, await nextFree(ctx, me.practiceOds, pre));
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      if (input.idempotencyKey) {
        const hash = requestHash(input.slotId, reason);
        const earlier = await store.claimIdempotencyKey(tx, {
          accountId: me.accountId,
          key: input.idempotencyKey,
          practiceOds: me.practiceOds,
          requestHash: hash,
          now,
        });
        if (earlier) {
          if (earlier.requestHash !== hash)
            throw new AppError('conflict', 'This Idempotency-Key was used for a different booking request.', {
              reason: 'idempotency-key-reused',
            });
          const id = (earlier.response as { id?: string } | null)?.id;
          const again = id ? await store.appointment(tx, me.practiceOds, id) : undefined;
          if (!again) throw new AppError('conflict', 'The earlier request with this key is not finished.');
          return { appointment: again, replayed: true };
        }
      }
      const appointment = await bookInTx(tx, ctx, actor as Actor, me, input.slotId, reason, now);
      if (input.idempotencyKey)
        await store.storeIdempotentResponse(tx, me.accountId, input.idempotencyKey, 201, {
          id: appointment.id,
        });
      return { appointment, replayed: false };
    });
  } catch (err) {
    if (err instanceof BookingRefused && err.reason === SLOT_TAKEN.reason) {
      const slot = await store.slotForBooking(ctx.db, me.practiceOds, input.slotId);
      throw new BookingRefused(SLOT_TAKEN, slot ? await nextFree(ctx, me.practiceOds, slot) : []);
    }
    throw err;
  }
}

/** The next three free slots of the same type from a taken slot's time, within the horizon: one query. */
async function nextFree(
  ctx: Ctx,
  ods: string,
  slot: NonNullable<Awaited<ReturnType<typeof store.slotForBooking>>>,
): Promise<store.FreeSlot[]> {
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

async function bookInTx(
  tx: Tx,
  ctx: Ctx,
  actor: Actor,
  me: Booker,
  slotId: string,
  reason: string | null,
  now: Date,
): Promise<store.AppointmentRow> {
  await store.lockPatient(tx, me.practiceOds, me.patientId);
  const slot = await store.slotForBooking(tx, me.practiceOds, slotId);
  if (!slot) throw new AppError('not-found', 'There is no such appointment.', { reason: 'no-such-slot' });
  const rules = effectiveRules(setupStore.rulesFromRow(slot.practice_rules), typeRules(slot));
  const counts = await store.patientCounts(
    tx,
    me.practiceOds,
    me.patientId,
    now,
    new Date(now.getTime() - rules.dnaWindowDays * 86_400_000),
  );
  const refusal = bookingRefusal({
    now,
    slot: { startsAt: slot.starts_at, releaseAt: slot.release_at, withdrawn: slot.withdrawn },
    type: { bookableOnline: slot.bookable_online, practiceOnly: slot.practice_only, active: slot.active },
    rules,
    futureOnlineBookings: counts.futureOnline,
    recentMissed: counts.missed,
  });
  if (refusal) throw new BookingRefused(refusal);
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
  if (!id) throw new BookingRefused(SLOT_TAKEN);
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
  await recordAudit(
    tx,
    {
      actor: auditActor(actor),
      action: 'appointment.book',
      outcome: 'success',
      practiceOds: me.practiceOds,
      patientId: me.patientId,
      subject: `appointment:${id}`,
      details: { slotId, online: true },
      request: ctx.meta,
    },
    now,
  );
  return appointment;
}

export function messageFields(a: store.AppointmentRow): Record<string, string> {
  return {
    when: spokenWhen(a.starts_at),
    what: a.type_name,
    with: a.practitioner_name,
    where: a.location_name,
  };
}
