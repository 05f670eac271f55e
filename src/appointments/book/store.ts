// SQL of the practice's appointment book: the book itself, and cancelling a whole session.
import type { Db, Tx } from '../../platform/db/index.ts';

type Q = Db | Tx;

/** The appointment book: every slot in a range with its live appointment and patient, if any. */
export async function book(
  q: Q,
  ods: string,
  f: { from: Date; to: Date; practitionerId?: string | undefined; locationId?: string | undefined },
) {
  const { from, to, practitionerId, locationId } = f;
  let query = q
    .selectFrom('slots as s')
    .innerJoin('slot_types as t', 't.id', 's.slot_type_id')
    .innerJoin('practitioners as p', 'p.id', 's.practitioner_id')
    .innerJoin('locations as l', 'l.id', 's.location_id')
    .leftJoin('appointments as a', (j) => j.onRef('a.slot_id', '=', 's.id').on('a.status', '<>', 'cancelled'))
    .leftJoin('patients as pt', 'pt.id', 'a.patient_id')
    .select([
      's.id as slot_id',
      's.starts_at',
      's.ends_at',
      's.release_at',
      's.held_back',
      's.withdrawn',
      's.session_id',
      't.name as type_name',
      't.channel',
      't.bookable_online',
      't.practice_only',
      's.practitioner_id',
      'p.name as practitioner_name',
      's.location_id',
      'l.name as location_name',
      'a.id as appointment_id',
      'a.status',
      'a.reason',
      'a.booked_online',
      'a.booked_by_type',
      'pt.id as patient_id',
      'pt.given_name',
      'pt.family_name',
      'pt.nhs_number',
    ])
    .where('s.practice_ods', '=', ods)
    .where('s.starts_at', '>=', from)
    .where('s.starts_at', '<', to);
  if (practitionerId) query = query.where('s.practitioner_id', '=', practitionerId);
  if (locationId) query = query.where('s.location_id', '=', locationId);
  return query.orderBy('p.name').orderBy('s.starts_at').execute();
}

/** The session, its row locked until the transaction ends, or undefined if not the practice's. */
export async function sessionForUpdate(tx: Tx, ods: string, id: string) {
  return tx
    .selectFrom('clinic_sessions')
    .select(['id', 'cancelled_at'])
    .where('practice_ods', '=', ods)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks the session cancelled and withdraws its slots, so none is offered again. */
export async function withdrawSession(tx: Tx, s: { id: string; reason: string; now: Date }): Promise<void> {
  await tx
    .updateTable('clinic_sessions')
    .set({ cancelled_at: s.now, cancel_reason: s.reason })
    .where('id', '=', s.id)
    .execute();
  await tx.updateTable('slots').set({ withdrawn: true }).where('session_id', '=', s.id).execute();
}

/** The booked (live, not yet attended) appointments of a session. */
export async function bookedInSession(tx: Tx, sessionId: string) {
  return tx
    .selectFrom('appointments as a')
    .innerJoin('slots as s', 's.id', 'a.slot_id')
    .select('a.id')
    .where('s.session_id', '=', sessionId)
    .where('a.status', '=', 'booked')
    .execute();
}

/** A session of the practice with its practitioner's name. */
export async function session(q: Q, ods: string, id: string) {
  return q
    .selectFrom('clinic_sessions as c')
    .innerJoin('practitioners as p', 'p.id', 'c.practitioner_id')
    .select(['c.id', 'c.day', 'c.start_time', 'c.end_time', 'p.name'])
    .where('c.id', '=', id)
    .where('c.practice_ods', '=', ods)
    .executeTakeFirst();
}
