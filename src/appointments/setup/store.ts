// SQL of the practice's appointment set-up: online booking rules, slot types, practitioners,
// locations, and sessions with the slots they generate.
import { sql, type Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { AppointmentRulesTable, Channel, PractitionerRole } from '../../platform/db/schema.ts';
import { DEFAULT_RULES, type PracticeRules } from '../rules.ts';

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
  w: { rules: PracticeRules; expectedVersion: number; by: string | null; now: Date },
): Promise<boolean> {
  const { rules, expectedVersion, by, now } = w;
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

/** One session: a practitioner's clinic of one slot type at one location, on a day, from start to end. */
export type SessionInput = {
  practitionerId: string;
  locationId: string;
  slotTypeId: string;
  day: string;
  start: string;
  end: string;
};

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
  s: SessionInput & {
    id: string;
    practiceOds: string;
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
export async function sessionsBetween(q: Q, ods: string, days: { fromDay: string; toDay: string }) {
  const { fromDay, toDay } = days;
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

// --- Writing the set-up ---------------------------------------------------------------------------

/** A slot type as the practice describes it; without its own release rule or horizon, the practice's apply. */
export type SlotTypeFields = {
  name: string;
  durationMinutes: number;
  channel: Channel;
  nationalCategory: string;
  bookableOnline: boolean;
  practiceOnly: boolean;
  releaseDaysBefore: number | null;
  releaseTime: string | null;
  horizonDays: number | null;
  guidance: string | null;
};

export async function insertPractitioner(
  tx: Tx,
  p: {
    id: string;
    practiceOds: string;
    name: string;
    role: PractitionerRole;
    gender: 'female' | 'male' | 'not-stated';
    now: Date;
  },
): Promise<void> {
  await tx
    .insertInto('practitioners')
    .values({
      id: p.id,
      practice_ods: p.practiceOds,
      name: p.name,
      role: p.role,
      gender: p.gender,
      created_at: p.now,
    })
    .execute();
}

export async function insertLocation(
  tx: Tx,
  l: { id: string; practiceOds: string; name: string; address: string | null; now: Date },
): Promise<void> {
  await tx
    .insertInto('locations')
    .values({ id: l.id, practice_ods: l.practiceOds, name: l.name, address: l.address, created_at: l.now })
    .execute();
}

export async function insertSlotType(
  tx: Tx,
  t: SlotTypeFields & { id: string; practiceOds: string; now: Date },
): Promise<void> {
  await tx
    .insertInto('slot_types')
    .values({
      id: t.id,
      practice_ods: t.practiceOds,
      name: t.name,
      duration_minutes: t.durationMinutes,
      channel: t.channel,
      national_category: t.nationalCategory,
      bookable_online: t.bookableOnline,
      practice_only: t.practiceOnly,
      release_days_before: t.releaseDaysBefore,
      release_time: t.releaseTime,
      horizon_days: t.horizonDays,
      guidance: t.guidance,
      created_at: t.now,
    })
    .execute();
}

export async function insertTemplate(
  tx: Tx,
  t: {
    id: string;
    practiceOds: string;
    practitionerId: string;
    locationId: string;
    slotTypeId: string;
    weekday: number;
    start: string;
    end: string;
    validFrom: string;
    validUntil: string | null;
    by: string;
    now: Date;
  },
): Promise<void> {
  await tx
    .insertInto('session_templates')
    .values({
      id: t.id,
      practice_ods: t.practiceOds,
      practitioner_id: t.practitionerId,
      location_id: t.locationId,
      slot_type_id: t.slotTypeId,
      weekday: t.weekday,
      start_time: t.start,
      end_time: t.end,
      valid_from: t.validFrom,
      valid_until: t.validUntil,
      created_by: t.by,
      created_at: t.now,
    })
    .execute();
}

/** Weekly templates still valid on `today` or later, of every practice (the daily job runs them). */
export async function templatesValidFrom(db: Db, today: string) {
  return db
    .selectFrom('session_templates')
    .selectAll()
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', today)]))
    .execute();
}

export const RETIRABLE = {
  practitioner: 'practitioners',
  location: 'locations',
  'slot-type': 'slot_types',
} as const;
export type Retirable = keyof typeof RETIRABLE;
export function isRetirable(v: unknown): v is Retirable {
  return typeof v === 'string' && Object.hasOwn(RETIRABLE, v);
}

/** Sets whether a practitioner, location or slot type is in use; false when the practice has no such one. */
export async function setActive(
  tx: Tx,
  ods: string,
  item: { kind: Retirable; id: string; active: boolean },
): Promise<boolean> {
  const r = await tx
    .updateTable(RETIRABLE[item.kind])
    .set({ active: item.active })
    .where('practice_ods', '=', ods)
    .where('id', '=', item.id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- Replanning release times -----------------------------------------------------------------------

/** Future slots of types without their own release rule, session by session, in time order. */
export async function slotsToReplan(tx: Tx, ods: string, now: Date) {
  return tx
    .selectFrom('slots as s')
    .innerJoin('slot_types as t', 't.id', 's.slot_type_id')
    .select(['s.id', 's.session_id', 's.starts_at', 's.ends_at'])
    .where('s.practice_ods', '=', ods)
    .where('s.starts_at', '>', now)
    .where('t.release_time', 'is', null)
    .orderBy('s.session_id')
    .orderBy('s.starts_at')
    .execute();
}

/** Writes new release times and hold-backs, 500 slots a statement. */
export async function setReleasePlan(
  tx: Tx,
  ods: string,
  updates: { id: string; releaseAt: Date; heldBack: boolean }[],
): Promise<void> {
  for (let i = 0; i < updates.length; i += 500) {
    const part = updates.slice(i, i + 500);
    await sql`
      update slots set release_at = v.release_at, held_back = v.held_back
      from (values ${sql.join(part.map((u) => sql`(${u.id}::uuid, ${u.releaseAt}::timestamptz, ${u.heldBack}::boolean)`))})
        as v (id, release_at, held_back)
      where slots.id = v.id and slots.practice_ods = ${ods}
    `.execute(tx);
  }
}
