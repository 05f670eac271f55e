// Sessions (clinics), one-off or from weekly templates, and the slots they generate with their
// release plan. Every change is audited in its transaction.
import { randomUUID } from 'node:crypto';
import { audit } from '../../platform/audit/use-case.ts';
import { SYSTEM_ACTOR, type Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff, type PracticeStaff } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { permissions } from '../permissions.ts';
import {
  addDays,
  isIsoDate,
  localDay,
  releasePlan,
  slotTimes,
  templateDays,
  type PracticeRules,
} from '../rules.ts';
import * as setupStore from './store.ts';
import type { SessionInput } from './store.ts';

export type { SessionInput };

export type TemplateInput = Omit<SessionInput, 'day'> & {
  weekday: number;
  validFrom: string;
  validUntil: string | null;
};

type Made = { id: string; slots: number };

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

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
  w: { practiceOds: string; by: string | null; session: SessionInput; templateId: string | null; now: Date },
): Promise<Made | null> {
  const { practiceOds, by, session: s, templateId, now } = w;
  const parts = await setupStore.sessionParts(tx, practiceOds, s);
  const problems = partProblems(parts);
  if (!isIsoDate(s.day)) problems.push({ field: 'day', message: 'Enter the date of the session' });
  if (!TIME.test(s.start))
    problems.push({ field: 'start', message: 'Enter the start time as hours and minutes, like 09:00' });
  if (!TIME.test(s.end))
    problems.push({ field: 'end', message: 'Enter the end time as hours and minutes, like 11:00' });
  else if (TIME.test(s.start) && !(s.end > s.start))
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
  from: { session: SessionInput; templateId: string | null },
): Promise<Made | null> {
  const { session: s, templateId } = from;
  const made = await writeSession(tx, {
    practiceOds: staff.practiceOds,
    by: staff.staffId,
    session: s,
    templateId,
    now: ctx.clock.now(),
  });
  if (made)
    await audit(tx, ctx, staff, {
      action: 'appointments.session.add',
      subject: `session:${made.id}`,
      details: { ...s, slots: made.slots, templateId },
    });
  return made;
}

export async function addSession(ctx: Ctx, actor: Actor | null, s: SessionInput): Promise<Made> {
  const staff = assertOwnPracticeStaff(actor, permissions.manageSessions);
  const made = await ctx.db
    .transaction()
    .execute((tx) => createSession(tx, ctx, staff, { session: s, templateId: null }));
  if (!made) throw new Error('a one-off session cannot clash with a template');
  return made;
}

/** A weekly template, and its sessions from its first day for two weeks; a template never makes two sessions on a day. */
export async function addTemplate(
  ctx: Ctx,
  actor: Actor | null,
  t: TemplateInput,
): Promise<{ id: string; sessions: number; slots: number }> {
  const weeks = 2;
  const staff = assertOwnPracticeStaff(actor, permissions.manageSessions);
  const id = randomUUID();
  return ctx.db.transaction().execute(async (tx) => {
    // A template is checked before it is kept, even if it makes no session in its first weeks.
    const problems = partProblems(await setupStore.sessionParts(tx, staff.practiceOds, t));
    if (!Number.isInteger(t.weekday) || t.weekday < 1 || t.weekday > 7)
      problems.push({ field: 'weekday', message: 'Choose the day of the week' });
    if (problems.length) throw AppError.invalid(problems);
    await setupStore.insertTemplate(tx, {
      id,
      practiceOds: staff.practiceOds,
      ...t,
      by: staff.staffId,
      now: ctx.clock.now(),
    });
    await audit(tx, ctx, staff, {
      action: 'appointments.template.add',
      subject: `template:${id}`,
      details: { ...t },
    });
    let sessions = 0;
    let slots = 0;
    for (const day of templateDays(t, t.validFrom, addDays(t.validFrom, weeks * 7 - 1))) {
      const made = await createSession(tx, ctx, staff, { session: { ...t, day }, templateId: id });
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
  // The system's job: no request, and the run's one time for every row.
  const ctx: Ctx = { db, clock: { now: () => now }, meta: null };
  const today = localDay(now);
  const until = addDays(today, TEMPLATE_DAYS_AHEAD - 1);
  const templates = await setupStore.templatesValidFrom(db, today);
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
        const s = await writeSession(tx, {
          practiceOds: t.practice_ods,
          by: t.created_by,
          session: {
            practitionerId: t.practitioner_id,
            locationId: t.location_id,
            slotTypeId: t.slot_type_id,
            day,
            start: t.start_time,
            end: t.end_time,
          },
          templateId: t.id,
          now: now,
        });
        if (s) {
          sessions++;
          slots += s.slots;
        }
      }
      if (sessions)
        await audit(tx, ctx, SYSTEM_ACTOR, {
          action: 'appointments.template.run',
          practiceOds: t.practice_ods,
          subject: `template:${t.id}`,
          details: { sessions, slots },
        });
      made.sessions += sessions;
      made.slots += slots;
    });
  }
  return made;
}
