// SQL of slots and appointments, shared by the patient's booking and the practice's book.
// Guarantees come from the schema (migration 005): one live appointment per slot (partial unique
// index), per-patient bookings serialised by a lock on the patient row.
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import type { AppointmentStatus, Channel } from '../platform/db/schema.ts';
import type { RulesRow } from './setup/store.ts';

type Q = Db | Tx;

// --- Slots ----------------------------------------------------------------------------------------

export type SlotFilter = {
  from: Date;
  to: Date;
  slotTypeId?: string | undefined;
  practitionerId?: string | undefined;
  channel?: Channel | undefined;
  /** Online: only released, online-bookable types, not practice-only; staff see every free slot. */
  online: { now: Date } | null;
  limit: number;
};

/** Slots with their type, practitioner and location. */
function slotsWithParts(q: Q) {
  return q
    .selectFrom('slots as s')
    .innerJoin('slot_types as t', 't.id', 's.slot_type_id')
    .innerJoin('practitioners as p', 'p.id', 's.practitioner_id')
    .innerJoin('locations as l', 'l.id', 's.location_id');
}

/** Free slots (no live appointment) of a practice in a time range, soonest first, with their labels. */
export async function freeSlots(q: Q, ods: string, f: SlotFilter) {
  let query = slotsWithParts(q)
    .select([
      's.id',
      's.starts_at',
      's.ends_at',
      's.release_at',
      's.held_back',
      's.slot_type_id',
      't.name as type_name',
      't.channel',
      't.duration_minutes',
      's.practitioner_id',
      'p.name as practitioner_name',
      'p.role as practitioner_role',
      'p.gender as practitioner_gender',
      's.location_id',
      'l.name as location_name',
    ])
    .where('s.practice_ods', '=', ods)
    .where('s.starts_at', '>=', f.from)
    .where('s.starts_at', '<', f.to)
    .where('s.withdrawn', '=', false)
    .where('s.booked', '=', false);
  if (f.slotTypeId) query = query.where('s.slot_type_id', '=', f.slotTypeId);
  if (f.practitionerId) query = query.where('s.practitioner_id', '=', f.practitionerId);
  if (f.channel) query = query.where('t.channel', '=', f.channel);
  if (f.online)
    query = query
      .where('s.release_at', '<=', f.online.now)
      .where('s.starts_at', '>', f.online.now)
      .where('t.bookable_online', '=', true)
      .where('t.practice_only', '=', false)
      .where('t.active', '=', true);
  return query.orderBy('s.starts_at').orderBy('p.name').orderBy('s.id').limit(f.limit).execute();
}

export type FreeSlot = Awaited<ReturnType<typeof freeSlots>>[number];

/**
 * A slot with what booking needs to judge it. With `patientId`, also whether online booking is on
 * for that patient (`booking_on`).
 */
export async function slotForBooking(q: Q, ods: string, slot: { slotId: string; patientId?: string }) {
  const { slotId, patientId } = slot;
  return slotsWithParts(q)
    .leftJoin('appointment_rules as r', 'r.practice_ods', 's.practice_ods')
    .select([
      's.id',
      's.starts_at',
      's.ends_at',
      's.release_at',
      's.slot_type_id',
      't.name as type_name',
      't.channel',
      't.duration_minutes',
      't.bookable_online',
      't.practice_only',
      't.active',
      't.release_days_before',
      't.release_time',
      't.horizon_days',
      't.guidance',
      's.held_back',
      's.practitioner_id',
      'p.role as practitioner_role',
      'p.gender as practitioner_gender',
      's.location_id',
      'p.name as practitioner_name',
      'l.name as location_name',
      'r.horizon_days as practice_horizon_days',
      's.withdrawn',
      'l.address as location_address',
      // The practice's rules with the slot: booking needs both, in one round trip.
      sql<RulesRow | null>`to_jsonb(r)`.as('practice_rules'),
      's.booked as taken',
      sql<
        boolean | null
      >`(select o.appointments from online_services o where o.patient_id = ${patientId ?? null} and o.practice_ods = s.practice_ods)`.as(
        'booking_on',
      ),
    ])
    .where('s.practice_ods', '=', ods)
    .where('s.id', '=', slotId)
    .executeTakeFirst();
}

// --- Appointments -----------------------------------------------------------------------------------

/** Serialises one patient's bookings: concurrent requests of the same patient queue here. */
export async function lockPatient(tx: Tx, ods: string, patientId: string): Promise<boolean> {
  const r = await tx
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', ods)
    .where('id', '=', patientId)
    .forUpdate()
    .executeTakeFirst();
  return r !== undefined;
}

/** The patient's live future appointments booked online, and missed appointments since a time. */
export async function patientCounts(
  q: Q,
  ods: string,
  c: { patientId: string; now: Date; missedSince: Date },
) {
  const { patientId, now, missedSince } = c;
  const r = await q
    .selectFrom('appointments as a')
    .innerJoin('slots as s', 's.id', 'a.slot_id')
    .select([
      sql<number>`count(*) filter (where a.status = 'booked' and a.booked_online and s.starts_at > ${now})::int`.as(
        'future_online',
      ),
      sql<number>`count(*) filter (where a.status = 'did-not-attend' and s.starts_at >= ${missedSince})::int`.as(
        'missed',
      ),
    ])
    .where('a.practice_ods', '=', ods)
    .where('a.patient_id', '=', patientId)
    .executeTakeFirstOrThrow();
  return { futureOnline: r.future_online, missed: r.missed };
}

/** The patient's own live appointment in a slot, if the slot is taken by them. */
export async function ownLiveAppointment(
  q: Q,
  ods: string,
  c: { slotId: string; patientId: string },
): Promise<string | undefined> {
  const r = await q
    .selectFrom('appointments')
    .select('id')
    .where('practice_ods', '=', ods)
    .where('slot_id', '=', c.slotId)
    .where('patient_id', '=', c.patientId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
  return r?.id;
}

/** Inserts the appointment unless the slot already has a live one; null then (the slot is taken). */
export async function insertAppointment(
  tx: Tx,
  a: {
    id: string;
    practiceOds: string;
    slotId: string;
    patientId: string;
    reason: string | null;
    online: boolean;
    byType: 'patient' | 'staff';
    by: string;
    now: Date;
    movedFrom?: string | null;
  },
): Promise<string | null> {
  const r = await tx
    .insertInto('appointments')
    .values({
      id: a.id,
      practice_ods: a.practiceOds,
      slot_id: a.slotId,
      patient_id: a.patientId,
      reason: a.reason,
      booked_online: a.online,
      booked_by_type: a.byType,
      booked_by: a.by,
      booked_at: a.now,
      status_changed_at: a.now,
      moved_from: a.movedFrom ?? null,
    })
    .onConflict((oc) => oc.column('slot_id').where('status', '<>', 'cancelled').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

const appointmentColumns = [
  'a.id',
  'a.patient_id',
  'a.status',
  'a.reason',
  'a.booked_online',
  'a.booked_by_type',
  'a.booked_at',
  'a.cancel_reason',
  'a.cancelled_by_type',
  'a.status_changed_at',
  's.id as slot_id',
  's.starts_at',
  's.ends_at',
  't.name as type_name',
  't.channel',
  'p.name as practitioner_name',
  'p.role as practitioner_role',
  'l.name as location_name',
  'l.address as location_address',
] as const;

function appointmentsQuery(q: Q, ods: string) {
  return q
    .selectFrom('appointments as a')
    .innerJoin('slots as s', 's.id', 'a.slot_id')
    .innerJoin('slot_types as t', 't.id', 's.slot_type_id')
    .innerJoin('practitioners as p', 'p.id', 's.practitioner_id')
    .innerJoin('locations as l', 'l.id', 's.location_id')
    .select(appointmentColumns)
    .where('a.practice_ods', '=', ods);
}

export async function patientAppointments(q: Q, ods: string, patientId: string) {
  return appointmentsQuery(q, ods)
    .where('a.patient_id', '=', patientId)
    .orderBy('s.starts_at', 'desc')
    .limit(200)
    .execute();
}

export type AppointmentRow = Awaited<ReturnType<typeof patientAppointments>>[number];

export async function appointment(q: Q, ods: string, id: string) {
  return appointmentsQuery(q, ods).where('a.id', '=', id).executeTakeFirst();
}

/** The appointment, its row locked until the transaction ends: status changes queue here. */
export async function appointmentForUpdate(tx: Tx, ods: string, id: string) {
  return appointmentsQuery(tx, ods).where('a.id', '=', id).forUpdate('a').executeTakeFirst();
}

export async function setStatus(
  tx: Tx,
  ods: string,
  change: {
    id: string;
    to: AppointmentStatus;
    now: Date;
    cancel?: { byType: 'patient' | 'staff'; reason: string | null };
  },
): Promise<void> {
  const { id, to, now, cancel } = change;
  await tx
    .updateTable('appointments')
    .set({
      status: to,
      status_changed_at: now,
      ...(cancel ? { cancelled_by_type: cancel.byType, cancel_reason: cancel.reason } : {}),
    })
    .where('practice_ods', '=', ods)
    .where('id', '=', id)
    .execute();
}
