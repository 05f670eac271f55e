// Practice set-up for appointments: practitioners, locations, slot types and the online booking
// rules. Every change is audited in its transaction.
import { randomUUID } from 'node:crypto';
import { auditedChange } from '../../platform/audit/use-case.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { PractitionerRole } from '../../platform/db/schema.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { recordPlatformOfferings } from '../../programme/index.ts';
import { permissions } from '../permissions.ts';
import { releasePlan, type PracticeRules } from '../rules.ts';
import * as setupStore from './store.ts';

export type { Retirable } from './store.ts';

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

export type PractitionerInput = {
  name: string;
  role: PractitionerRole;
  gender: 'female' | 'male' | 'not-stated';
};

export async function addPractitioner(ctx: Ctx, actor: Actor | null, p: PractitionerInput): Promise<string> {
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  if (!p.name.trim()) throw AppError.invalid([{ field: 'name', message: 'Enter the practitioner’s name' }]);
  const id = randomUUID();
  await auditedChange(
    ctx,
    staff,
    { action: 'appointments.practitioner.add', subject: `practitioner:${id}` },
    (tx) =>
      setupStore.insertPractitioner(tx, {
        id,
        practiceOds: staff.practiceOds,
        name: p.name.trim(),
        role: p.role,
        gender: p.gender,
        now: ctx.clock.now(),
      }),
  );
  return id;
}

export async function addLocation(
  ctx: Ctx,
  actor: Actor | null,
  l: { name: string; address?: string | null | undefined },
): Promise<string> {
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  if (!l.name.trim()) throw AppError.invalid([{ field: 'name', message: 'Enter the location’s name' }]);
  const id = randomUUID();
  await auditedChange(ctx, staff, { action: 'appointments.location.add', subject: `location:${id}` }, (tx) =>
    setupStore.insertLocation(tx, {
      id,
      practiceOds: staff.practiceOds,
      name: l.name.trim(),
      address: l.address?.trim() || null,
      now: ctx.clock.now(),
    }),
  );
  return id;
}

type OwnRules = 'releaseDaysBefore' | 'releaseTime' | 'horizonDays' | 'guidance';
/** A new slot type; its own release rule, horizon and guidance may be left out. */
export type SlotTypeInput = Omit<setupStore.SlotTypeFields, OwnRules> &
  Partial<Pick<setupStore.SlotTypeFields, OwnRules>>;

export async function addSlotType(ctx: Ctx, actor: Actor | null, t: SlotTypeInput): Promise<string> {
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  const problems: FieldError[] = [];
  if (!t.name.trim()) problems.push({ field: 'name', message: 'Enter the name patients will see' });
  if (!Number.isInteger(t.durationMinutes) || t.durationMinutes < 5 || t.durationMinutes > 240)
    problems.push({
      field: 'durationMinutes',
      message: 'The length must be a whole number of minutes from 5 to 240',
    });
  if (t.bookableOnline && t.practiceOnly)
    problems.push({ field: 'practiceOnly', message: 'A practice-only type cannot be bookable online' });
  if (((t.releaseDaysBefore ?? null) === null) !== ((t.releaseTime ?? null) === null))
    problems.push({
      field: 'releaseTime',
      message: 'Give both the release time and how many days before, or neither',
    });
  if (problems.length) throw AppError.invalid(problems);
  const id = randomUUID();
  await auditedChange(
    ctx,
    staff,
    { action: 'appointments.slot-type.add', subject: `slot-type:${id}`, details: { name: t.name } },
    async (tx) => {
      await setupStore.insertSlotType(tx, {
        id,
        practiceOds: staff.practiceOds,
        name: t.name.trim(),
        durationMinutes: t.durationMinutes,
        channel: t.channel,
        nationalCategory: t.nationalCategory,
        bookableOnline: t.bookableOnline,
        practiceOnly: t.practiceOnly,
        releaseDaysBefore: t.releaseDaysBefore ?? null,
        releaseTime: t.releaseTime ?? null,
        horizonDays: t.horizonDays ?? null,
        guidance: t.guidance?.trim() || null,
        now: ctx.clock.now(),
      });
      await offeringsOf(tx, staff, ctx.clock.now(), 'A slot type was added');
    },
  );
  return id;
}

/** Changes the online booking rules if nobody changed them since `expectedVersion`; future unbooked slots get the new release times. */
export async function updateRules(
  ctx: Ctx,
  actor: Actor | null,
  change: { rules: PracticeRules; expectedVersion: number },
): Promise<void> {
  const { rules, expectedVersion } = change;
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  if ((rules.releaseDaysBefore === null) !== (rules.releaseTime === null))
    throw AppError.invalid([
      { field: 'releaseTime', message: 'Give both the release time and how many days before, or neither' },
    ]);
  await auditedChange(
    ctx,
    staff,
    (replanned: number) => ({
      action: 'appointments.rules.update',
      subject: 'appointment-rules',
      details: { ...rules, replannedSlots: replanned },
    }),
    async (tx) => {
      const ok = await setupStore.writeRules(tx, staff.practiceOds, {
        rules,
        expectedVersion,
        by: staff.staffId,
        now: ctx.clock.now(),
      });
      if (!ok)
        throw new AppError(
          'conflict',
          'Someone else changed these rules while you were editing. Check them and try again.',
          { reason: 'stale-version' },
        );
      return replanFutureSlots(tx, staff.practiceOds, rules, ctx.clock.now());
    },
  );
}

/**
 * New rules apply to slots already set up: every future slot of a type without its own release
 * rule gets its release time and hold-back again, session by session (waves go by the slot's place
 * in its session). Booked slots are replanned too, so a cancellation frees them under the new rule.
 */
async function replanFutureSlots(tx: Tx, ods: string, rules: PracticeRules, now: Date): Promise<number> {
  const rows = await setupStore.slotsToReplan(tx, ods, now);
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
  await setupStore.setReleasePlan(tx, ods, updates);
  return updates.length;
}

/**
 * Stops (or restarts) using a practitioner, location or slot type. Nothing is deleted: history
 * keeps its names. A retired one gets no new sessions, and a retired slot type is not bookable online.
 */
export async function setInUse(
  ctx: Ctx,
  actor: Actor | null,
  item: { kind: setupStore.Retirable; id: string; active: boolean },
): Promise<void> {
  const staff = assertOwnPracticeStaff(actor, permissions.setUp);
  await auditedChange(
    ctx,
    staff,
    {
      action: `appointments.${item.kind}.${item.active ? 'restore' : 'retire'}`,
      subject: `${item.kind}:${item.id}`,
    },
    async (tx) => {
      if (!(await setupStore.setActive(tx, staff.practiceOds, item)))
        throw new AppError('not-found', 'There is no such item at your practice.');
      if (item.kind === 'slot-type')
        await offeringsOf(
          tx,
          staff,
          ctx.clock.now(),
          `A slot type was ${item.active ? 'restored' : 'retired'}`,
        );
    },
  );
}

/** Whether the practice offers online booking follows its slot types (the programme's history). */
function offeringsOf(tx: Tx, staff: { practiceOds: string; staffId: string }, at: Date, because: string) {
  return recordPlatformOfferings(tx, { practices: [staff.practiceOds], at, because, by: staff.staffId });
}
