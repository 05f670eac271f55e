// Practice set-up for appointments: practitioners, locations, slot types, online booking rules,
// and sessions (one-off or from weekly templates) that generate slots with their release plan.
// Every change is audited in its transaction.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../platform/auth/actor.ts';
import { assertOwnPracticeStaff, type PracticeStaff } from '../platform/auth/permissions.ts';
import type { Ctx } from '../platform/context.ts';
import type { Db, Tx } from '../platform/db/index.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import type { Channel, PractitionerRole } from '../platform/db/schema.ts';
import { AppError, type FieldError } from '../platform/http/errors.ts';
import { permissions } from './permissions.ts';
import { addDays, localDay, releasePlan, slotTimes, templateDays, type PracticeRules } from './rules.ts';
import { audited } from './staff-audit.ts';
import * as setupStore from './setup-store.ts';

// --- Set-up -----------------------------------------------------------------------------------------

export async function setup(ctx: Ctx, actor: Actor | null) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewBook);
  const ods = staff.practiceOds;
  const [practitioners, locations, slotTypes, rules] = await Promise.all([
    setupStore.practitioners(ctx.db, ods),
    setupStore.locations(ctx.db, ods),
    setupStore.slotTypes(ctx.db, ods),
    setupStore.practiceRules(ctx.db, ods),
  ]);
  return { practitioners, locations, slotTypes, rules };
}

export async function addPractitioner(
  ctx: Ctx,
  actor: Actor | null,
  p: { name: string; role: PractitionerRole; gender: 'female' | 'male' | 'not-stated' },
): Promise<string> {
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  if (!p.name.trim()) throw AppError.invalid([{ field: 'name', message: 'Enter the practitioner’s name' }]);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('practitioners')
      .values({
        id,
        practice_ods: staff.practiceOds,
        name: p.name.trim(),
        role: p.role,
        gender: p.gender,
        created_at: ctx.clock.now(),
      })
      .execute();
    await audited(tx, ctx, staff, { action: 'appointments.practitioner.add', subject: `practitioner:${id}` });
  });
  return id;
}

export async function addLocation(
  ctx: Ctx,
  actor: Actor | null,
  l: { name: string; address?: string | null },
): Promise<string> {
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  if (!l.name.trim()) throw AppError.invalid([{ field: 'name', message: 'Enter the location’s name' }]);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('locations')
      .values({
        id,
        practice_ods: staff.practiceOds,
        name: l.name.trim(),
        address: l.address?.trim() || null,
        created_at: ctx.clock.now(),
      })
      .execute();
    await audited(tx, ctx, staff, { action: 'appointments.location.add', subject: `location:${id}` });
  });
  return id;
}

export type SlotTypeInput = {
  name: string;
  durationMinutes: number;
  channel: Channel;
  nationalCategory: string;
  bookableOnline: boolean;
  practiceOnly: boolean;
  releaseDaysBefore?: number | null;
  releaseTime?: string | null;
  horizonDays?: number | null;
  guidance?: string | null;
};

export async function addSlotType(ctx: Ctx, actor: Actor | null, t: SlotTypeInput): Promise<string> {
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  const problems: FieldError[] = [];
  if (!t.name.trim()) problems.push({ field: 'name', message: 'Enter the name patients will see' });
  if (t.bookableOnline && t.practiceOnly)
    problems.push({ field: 'practiceOnly', message: 'A practice-only type cannot be bookable online' });
  if (((t.releaseDaysBefore ?? null) === null) !== ((t.releaseTime ?? null) === null))
    problems.push({
      field: 'releaseTime',
      message: 'Give both the release time and how many days before, or neither',
    });
  if (problems.length) throw AppError.invalid(problems);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('slot_types')
      .values({
        id,
        practice_ods: staff.practiceOds,
        name: t.name.trim(),
        duration_minutes: t.durationMinutes,
        channel: t.channel,
        national_category: t.nationalCategory,
        bookable_online: t.bookableOnline,
        practice_only: t.practiceOnly,
        release_days_before: t.releaseDaysBefore ?? null,
        release_time: t.releaseTime ?? null,
        horizon_days: t.horizonDays ?? null,
        guidance: t.guidance?.trim() || null,
        created_at: ctx.clock.now(),
      })
      .execute();
    await audited(tx, ctx, staff, {
      action: 'appointments.slot-type.add',
      subject: `slot-type:${id}`,
      details: { name: t.name },
    });
  });
  return id;
}

/** Changes the online booking rules if nobody changed them since `expectedVersion`; future unbooked slots get the new release times. */
export async function updateRules(
  ctx: Ctx,
  actor: Actor | null,
  rules: PracticeRules,
  expectedVersion: number,
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  if ((rules.releaseDaysBefore === null) !== (rules.releaseTime === null))
    throw AppError.invalid([
      { field: 'releaseTime', message: 'Give both the release time and how many days before, or neither' },
    ]);
  await ctx.db.transaction().execute(async (tx) => {
    const ok = await setupStore.writeRules(
      tx,
      staff.practiceOds,
      rules,
      expectedVersion,
      staff.staffId,
      ctx.clock.now(),
    );
    if (!ok)
      throw new AppError(
        'conflict',
        'Someone else changed these rules while you were editing. Check them and try again.',
        {
          reason: 'stale-version',
        },
      );
    const replanned = await replanFutureSlots(tx, staff.practiceOds, rules, ctx.clock.now());
    await audited(tx, ctx, staff, {
      action: 'appointments.rules.update',
      subject: 'appointment-rules',
      details: { ...rules, replannedSlots: replanned },
    });
  });
}

/**
 * New rules apply to slots already set up: every future slot of a type without its own release
 * rule gets its release time and hold-back again, session by session (waves go by the slot's place
 * in its session). Booked slots are replanned too, so a cancellation frees them under the new rule.
 */
async function replanFutureSlots(tx: Tx, ods: string, rules: PracticeRules, now: Date): Promise<number> {
  const rows = await tx
    .selectFrom('slots as s')
    .innerJoin('slot_types as t', 't.id', 's.slot_type_id')
    .select(['s.id', 's.session_id', 's.starts_at', 's.ends_at'])
    .where('s.practice_ods', '=', ods)
    .where('s.starts_at', '>', now)
    .where('t.release_time', 'is', null)
    .orderBy('s.session_id')
    .orderBy('s.starts_at')
    .execute();
  const bySession = new Map<string, typeof rows>();
  for (const r of rows) bySession.set(r.session_id, [...(bySession.get(r.session_id) ?? []), r]);
  const updates: { id: string; releaseAt: Date; heldBack: boolean }[] = [];
  for (const slots of bySession.values()) {
    const plan = releasePlan(
      slots.map((x) => ({ startsAt: x.starts_at, endsAt: x.ends_at })),
      rules,
      now,
    );
    slots.forEach((x, i) => {
      const p = plan[i];
      if (p) updates.push({ id: x.id, releaseAt: p.releaseAt, heldBack: p.heldBack });
    });
  }
  for (let i = 0; i < updates.length; i += 500) {
    const part = updates.slice(i, i + 500);
    await sql`
      update slots set release_at = v.release_at, held_back = v.held_back
      from (values ${sql.join(part.map((u) => sql`(${u.id}::uuid, ${u.releaseAt}::timestamptz, ${u.heldBack}::boolean)`))})
        as v (id, release_at, held_back)
      where slots.id = v.id and slots.practice_ods = ${ods}
    `.execute(tx);
  }
  return updates.length;
}

// --- Sessions -----------------------------------------------------------------------------------------

export type SessionInput = {
  practitionerId: string;
  locationId: string;
  slotTypeId: string;
  day: string;
  start: string;
  end: string;
};

/** The practitioner, location and slot type of a session must be in use at its practice. */
function partProblems(parts: Awaited<ReturnType<typeof setupStore.sessionParts>>): FieldError[] {
  const problems: FieldError[] = [];
  if (!parts.practitioner?.active)
    problems.push({ field: 'practitionerId', message: 'Choose a practitioner of this practice' });
  if (!parts.location?.active)
    problems.push({ field: 'locationId', message: 'Choose a location of this practice' });
  if (!parts.slotType?.active)
    problems.push({ field: 'slotTypeId', message: 'Choose a slot type of this practice' });
  return problems;
}

/**
 * Validates a session and writes it with its slots and their release plan; null when its template
 * already made one that day. No permission check or audit here: callers do both (staff use cases
 * below, and the demo data as the system).
 */
export async function writeSession(
  tx: Tx,
  practiceOds: string,
  by: string | null,
  s: SessionInput,
  templateId: string | null,
  now: Date,
): Promise<{ id: string; slots: number } | null> {
  const parts = await setupStore.sessionParts(tx, practiceOds, s);
  const problems = partProblems(parts);
  if (!(s.end > s.start))
    problems.push({ field: 'end', message: 'The end time must be after the start time' });
  if (problems.length || !parts.slotType) throw AppError.invalid(problems);
  const type = parts.slotType;
  const practice = await setupStore.practiceRules(tx, practiceOds);
  const rules: PracticeRules =
    type.release_time !== null && type.release_days_before !== null
      ? { ...practice, releaseDaysBefore: type.release_days_before, releaseTime: type.release_time }
      : practice;
  const times = slotTimes(s.day, s.start, s.end, type.duration_minutes);
  if (!times.length)
    throw AppError.invalid([
      {
        field: 'end',
        message: `The session is shorter than one ${String(type.duration_minutes)}-minute slot`,
      },
    ]);
  const plan = releasePlan(times, rules, now);
  const id = randomUUID();
  const made = await setupStore.insertSession(
    tx,
    { id, practiceOds, ...s, templateId, by, now },
    times.map((t, i) => ({
      id: randomUUID(),
      ...t,
      releaseAt: plan[i]?.releaseAt ?? now,
      heldBack: plan[i]?.heldBack ?? false,
    })),
  );
  return made ? { id, slots: times.length } : null;
}

async function createSession(
  tx: Tx,
  ctx: Ctx,
  staff: PracticeStaff,
  s: SessionInput,
  templateId: string | null,
): Promise<{ id: string; slots: number } | null> {
  const made = await writeSession(tx, staff.practiceOds, staff.staffId, s, templateId, ctx.clock.now());
  if (made)
    await audited(tx, ctx, staff, {
      action: 'appointments.session.add',
      subject: `session:${made.id}`,
      details: { ...s, slots: made.slots, templateId },
    });
  return made;
}

export async function addSession(
  ctx: Ctx,
  actor: Actor | null,
  s: SessionInput,
): Promise<{ id: string; slots: number }> {
  const staff = assertOwnPracticeStaff(actor, permissions.manageSessions);
  const made = await ctx.db.transaction().execute((tx) => createSession(tx, ctx, staff, s, null));
  if (!made) throw new Error('a one-off session cannot clash with a template');
  return made;
}

/** A weekly template, and its sessions from its first day for `weeks` weeks; a template never makes two sessions on a day. */
export async function addTemplate(
  ctx: Ctx,
  actor: Actor | null,
  t: Omit<SessionInput, 'day'> & { weekday: number; validFrom: string; validUntil: string | null },
  weeks = 2,
): Promise<{ id: string; sessions: number; slots: number }> {
  const staff = assertOwnPracticeStaff(actor, permissions.manageSessions);
  const id = randomUUID();
  return ctx.db.transaction().execute(async (tx) => {
    // A template is checked before it is kept, even if it makes no session in its first weeks.
    const problems = partProblems(await setupStore.sessionParts(tx, staff.practiceOds, t));
    if (!Number.isInteger(t.weekday) || t.weekday < 1 || t.weekday > 7)
      problems.push({ field: 'weekday', message: 'Choose the day of the week' });
    if (problems.length) throw AppError.invalid(problems);
    await tx
      .insertInto('session_templates')
      .values({
        id,
        practice_ods: staff.practiceOds,
        practitioner_id: t.practitionerId,
        location_id: t.locationId,
        slot_type_id: t.slotTypeId,
        weekday: t.weekday,
        start_time: t.start,
        end_time: t.end,
        valid_from: t.validFrom,
        valid_until: t.validUntil,
        created_by: staff.staffId,
        created_at: ctx.clock.now(),
      })
      .execute();
    await audited(tx, ctx, staff, {
      action: 'appointments.template.add',
      subject: `template:${id}`,
      details: { ...t },
    });
    let sessions = 0;
    let slots = 0;
    for (const day of templateDays(t, t.validFrom, addDays(t.validFrom, weeks * 7 - 1))) {
      const made = await createSession(tx, ctx, staff, { ...t, day }, id);
      if (made) {
        sessions++;
        slots += made.slots;
      }
    }
    return { id, sessions, slots };
  });
}

/** How far ahead weekly templates keep sessions set up. */
export const TEMPLATE_DAYS_AHEAD = 28;

/**
 * Runs every weekly template forward so sessions exist `TEMPLATE_DAYS_AHEAD` days ahead (the
 * server's daily job). A template never makes two sessions on a day, so running it twice is safe.
 */
export async function runTemplatesForward(db: Db, now: Date): Promise<{ sessions: number; slots: number }> {
  const today = localDay(now);
  const until = addDays(today, TEMPLATE_DAYS_AHEAD - 1);
  const templates = await db
    .selectFrom('session_templates')
    .selectAll()
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', today)]))
    .execute();
  const made = { sessions: 0, slots: 0 };
  for (const t of templates) {
    await db.transaction().execute(async (tx) => {
      let sessions = 0;
      let slots = 0;
      const days = templateDays(
        { weekday: t.weekday, validFrom: t.valid_from, validUntil: t.valid_until },
        today,
        until,
      );
      for (const day of days) {
        const s = await writeSession(
          tx,
          t.practice_ods,
          t.created_by,
          {
            practitionerId: t.practitioner_id,
            locationId: t.location_id,
            slotTypeId: t.slot_type_id,
            day,
            start: t.start_time,
            end: t.end_time,
          },
          t.id,
          now,
        );
        if (s) {
          sessions++;
          slots += s.slots;
        }
      }
      if (sessions)
        await recordAudit(
          tx,
          {
            actor: SYSTEM_ACTOR,
            action: 'appointments.template.run',
            outcome: 'success',
            practiceOds: t.practice_ods,
            subject: `template:${t.id}`,
            details: { sessions, slots },
          },
          now,
        );
      made.sessions += sessions;
      made.slots += slots;
    });
  }
  return made;
}

const RETIRABLE = {
  practitioner: 'practitioners',
  location: 'locations',
  'slot-type': 'slot_types',
} as const;
export type Retirable = keyof typeof RETIRABLE;

/**
 * Stops (or restarts) using a practitioner, location or slot type. Nothing is deleted: history
 * keeps its names. A retired one gets no new sessions, and a retired slot type is not bookable online.
 */
export async function setInUse(
  ctx: Ctx,
  actor: Actor | null,
  kind: Retirable,
  id: string,
  active: boolean,
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable(RETIRABLE[kind])
      .set({ active })
      .where('practice_ods', '=', staff.practiceOds)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new AppError('not-found', 'There is no such item at your practice.');
    await audited(tx, ctx, staff, {
      action: `appointments.${kind}.${active ? 'restore' : 'retire'}`,
      subject: `${kind}:${id}`,
    });
  });
}
