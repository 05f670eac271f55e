// SQL of the practice's appointment set-up: online booking rules, slot types, practitioners,
// locations, and sessions with the slots they generate.
import { sql, type Selectable } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import type { AppointmentRulesTable } from '../platform/db/schema.ts';
import { DEFAULT_RULES, type PracticeRules } from './rules.ts';

type Q = Db | Tx;

// --- Rules and set-up ---------------------------------------------------------------------------

export async function practiceRules(q: Q, ods: string): Promise<PracticeRules & { version: number }> {
  const r = await q
    .selectFrom('appointment_rules')
    .selectAll()
    .where('practice_ods', '=', ods)
    .executeTakeFirst();
  return rulesFromRow(r);
}

export type RulesRow = Omit<Selectable<AppointmentRulesTable>, 'updated_at'>;

/** A practice's rules from its row (or the defaults when it has none yet). */
export function rulesFromRow(r: RulesRow | null | undefined): PracticeRules & { version: number } {
  if (!r) return { ...DEFAULT_RULES, version: 0 };
  return {
    releaseDaysBefore: r.release_days_before,
    releaseTime: r.release_time,
    horizonDays: r.horizon_days,
    maxFutureBookings: r.max_future_bookings,
    cancelCutoffMinutes: r.cancel_cutoff_minutes,
    dnaLimit: r.dna_limit,
    dnaWindowDays: r.dna_window_days,
    guidance: r.guidance,
    releaseWaves: r.release_waves,
    waveIntervalMinutes: r.wave_interval_minutes,
    heldBackPercent: r.held_back_percent,
    heldBackReleaseMinutes: r.held_back_release_minutes,
    version: r.version,
  };
}

/** Writes the rules if `expectedVersion` is still current; false when someone changed them first. */
export async function writeRules(
  tx: Tx,
  ods: string,
  rules: PracticeRules,
  expectedVersion: number,
  by: string | null,
  now: Date,
): Promise<boolean> {
  const values = {
    release_days_before: rules.releaseDaysBefore,
    release_time: rules.releaseTime,
    horizon_days: rules.horizonDays,
    max_future_bookings: rules.maxFutureBookings,
    cancel_cutoff_minutes: rules.cancelCutoffMinutes,
    dna_limit: rules.dnaLimit,
    dna_window_days: rules.dnaWindowDays,
    guidance: rules.guidance,
    release_waves: rules.releaseWaves,
    wave_interval_minutes: rules.waveIntervalMinutes,
    held_back_percent: rules.heldBackPercent,
    held_back_release_minutes: rules.heldBackReleaseMinutes,
    updated_at: now,
    updated_by: by,
  };
  if (expectedVersion === 0) {
    const r = await tx
      .insertInto('appointment_rules')
      .values({ practice_ods: ods, ...values })
      .onConflict((oc) => oc.column('practice_ods').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const r = await tx
    .updateTable('appointment_rules')
    .set({ ...values, version: expectedVersion + 1 })
    .where('practice_ods', '=', ods)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function slotTypes(q: Q, ods: string) {
  return q.selectFrom('slot_types').selectAll().where('practice_ods', '=', ods).orderBy('name').execute();
}

export async function practitioners(q: Q, ods: string) {
  return q.selectFrom('practitioners').selectAll().where('practice_ods', '=', ods).orderBy('name').execute();
}

export async function locations(q: Q, ods: string) {
  return q.selectFrom('locations').selectAll().where('practice_ods', '=', ods).orderBy('name').execute();
}

/** Checks that the practitioner, location and slot type all belong to the practice and are in use. */
export async function sessionParts(
  q: Q,
  ods: string,
  ids: { practitionerId: string; locationId: string; slotTypeId: string },
) {
  const [p, l, t] = await Promise.all([
    q
      .selectFrom('practitioners')
      .select(['id', 'active'])
      .where('practice_ods', '=', ods)
      .where('id', '=', ids.practitionerId)
      .executeTakeFirst(),
    q
      .selectFrom('locations')
      .select(['id', 'active'])
      .where('practice_ods', '=', ods)
      .where('id', '=', ids.locationId)
      .executeTakeFirst(),
    q
      .selectFrom('slot_types')
      .selectAll()
      .where('practice_ods', '=', ods)
      .where('id', '=', ids.slotTypeId)
      .executeTakeFirst(),
  ]);
  return { practitioner: p, location: l, slotType: t };
}

export async function insertSession(
  tx: Tx,
  s: {
    id: string;
    practiceOds: string;
    practitionerId: string;
    locationId: string;
    slotTypeId: string;
    day: string;
    start: string;
    end: string;
    templateId: string | null;
    by: string | null;
    now: Date;
  },
  slots: { id: string; startsAt: Date; endsAt: Date; releaseAt: Date; heldBack: boolean }[],
): Promise<boolean> {
  const inserted = await tx
    .insertInto('clinic_sessions')
    .values({
      id: s.id,
      practice_ods: s.practiceOds,
      practitioner_id: s.practitionerId,
      location_id: s.locationId,
      slot_type_id: s.slotTypeId,
      day: s.day,
      start_time: s.start,
      end_time: s.end,
      template_id: s.templateId,
      created_by: s.by,
      created_at: s.now,
    })
    .onConflict((oc) => oc.columns(['template_id', 'day']).where('template_id', 'is not', null).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
  if (slots.length)
    await tx
      .insertInto('slots')
      .values(
        slots.map((x) => ({
          id: x.id,
          practice_ods: s.practiceOds,
          session_id: s.id,
          practitioner_id: s.practitionerId,
          location_id: s.locationId,
          slot_type_id: s.slotTypeId,
          starts_at: x.startsAt,
          ends_at: x.endsAt,
          release_at: x.releaseAt,
          held_back: x.heldBack,
        })),
      )
      .execute();
  return true;
}

/** Sessions of a practice in a time range, with how many live appointments each holds. */
export async function sessionsBetween(q: Q, ods: string, fromDay: string, toDay: string) {
  return q
    .selectFrom('clinic_sessions as c')
    .innerJoin('practitioners as p', 'p.id', 'c.practitioner_id')
    .innerJoin('slot_types as t', 't.id', 'c.slot_type_id')
    .select([
      'c.id',
      'c.day',
      'c.start_time',
      'c.end_time',
      'c.cancelled_at',
      'c.cancel_reason',
      'p.name as practitioner_name',
      't.name as type_name',
      sql<number>`(select count(*)::int from slots s join appointments a on a.slot_id = s.id
        where s.session_id = c.id and a.status <> 'cancelled')`.as('booked'),
    ])
    .where('c.practice_ods', '=', ods)
    .where('c.day', '>=', fromDay)
    .where('c.day', '<', toDay)
    .orderBy('c.day')
    .orderBy('c.start_time')
    .orderBy('p.name')
    .execute();
}
