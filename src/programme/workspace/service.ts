// The facilitator workspace's use cases: the portfolio, one practice's checklist, plan and
// history, and changes to them. A user works only on the practices assigned to them (or their
// commissioner's); every view and change is audited, and every change kept.
import type { Actor, StaffActor } from '../../platform/auth/actor.ts';
import { assertStaff } from '../../platform/auth/permissions.ts';
import { auditAlone, auditedChange } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { englandDay, isIsoDate } from '../../platform/dates.ts';
import type { ChecklistElement, ChecklistStatus } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/http/errors.ts';
import { offeredOn } from '../history/rules.ts';
import { EARLIEST, recordOfferings } from '../history/service.ts';
import { entryOf } from '../history/store.ts';
import { permissions } from '../permissions.ts';
import type { PracticeScope } from '../store.ts';
import {
  checklistInput,
  gapToTarget,
  planInput,
  rank,
  readiness,
  TARGET_SERVICES,
  type TargetService,
} from './rules.ts';
import * as store from './store.ts';

const scopeOf = (staff: StaffActor): PracticeScope =>
  staff.role === 'admin' ? null : { staffId: staff.staffId, commissionerCode: staff.commissionerCode };

/** Which of the target services a practice offers today, from its own offering changes. */
function offeredToday(rows: readonly store.OfferingRow[], today: string) {
  const entries = rows.map(entryOf);
  return new Map<TargetService, boolean | null>(
    TARGET_SERVICES.map((s) => [
      s,
      offeredOn(
        entries.filter((e) => e.service === s),
        today,
      ),
    ]),
  );
}

/** Rows by practice, so each practice's are found once rather than searched for in all. */
function byPractice<T extends { practice_ods: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.practice_ods);
    if (list) list.push(r);
    else out.set(r.practice_ods, [r]);
  }
  return out;
}

export async function portfolio(ctx: Ctx, actor: Actor | null, order: 'readiness' | 'gap') {
  const staff = assertStaff(actor, permissions.viewWorkspace);
  const practices = await store.portfolioPractices(ctx.db, scopeOf(staff));
  const codes = practices.map((p) => p.code);
  const today = englandDay(ctx.clock.now());
  const [checklists, plans, offerings] = await Promise.all([
    store.currentChecklists(ctx.db, codes),
    store.currentPlans(ctx.db, codes),
    store.offeringsOf(ctx.db, codes, today),
  ]);
  const [checklistsOf, offeringsOf] = [byPractice(checklists), byPractice(offerings)];
  const planOf = new Map(plans.map((x) => [x.practice_ods, x]));
  const rows = practices.map((p) => {
    const statuses = new Map<ChecklistElement, ChecklistStatus>(
      (checklistsOf.get(p.code) ?? []).map((c) => [c.element, c.status]),
    );
    const offered = offeredToday(offeringsOf.get(p.code) ?? [], today);
    return {
      ...p,
      readiness: readiness(statuses),
      gap: gapToTarget(offered),
      offered,
      plan: planOf.get(p.code) ?? null,
    };
  });
  await auditAlone(ctx, staff, {
    action: 'programme.workspace.view-portfolio',
    practiceOds: null,
    details: { practices: rows.length, order },
  });
  return { rows: rank(rows, order), truncated: practices.length >= store.PORTFOLIO_LIMIT };
}

/** The practice, if it is in the user's portfolio; else not found (never a hint that it exists). */
async function practiceInScope(ctx: Ctx, staff: StaffActor, ods: string) {
  const practice = await store.portfolioPractice(ctx.db, scopeOf(staff), ods);
  if (!practice)
    throw new AppError('not-found', `Practice ${ods} is not in your portfolio.`, {
      reason: 'not-in-portfolio',
    });
  return practice;
}

export async function practiceWorkspace(ctx: Ctx, actor: Actor | null, ods: string) {
  const staff = assertStaff(actor, permissions.viewWorkspace);
  const practice = await practiceInScope(ctx, staff, ods);
  const today = englandDay(ctx.clock.now());
  const [checklist, history, plans, offerings] = await Promise.all([
    store.currentChecklists(ctx.db, [ods]),
    store.checklistHistory(ctx.db, ods),
    store.planHistory(ctx.db, ods),
    store.offeringsOf(ctx.db, [ods], today),
  ]);
  await auditAlone(ctx, staff, { action: 'programme.workspace.view-practice', practiceOds: ods });
  return {
    practice,
    checklist,
    history,
    plan: plans[0] ?? null,
    plans,
    offerings,
    offered: offeredToday(offerings, today),
    canChange: staff.role !== 'commissioner',
  };
}

export type ChecklistForm = { status: string; onDate: string; owner: string; notes: string };

export async function updateChecklistItem(
  ctx: Ctx,
  actor: Actor | null,
  ods: string,
  element: ChecklistElement,
  raw: ChecklistForm,
): Promise<void> {
  const staff = assertStaff(actor, permissions.updateWorkspace);
  await practiceInScope(ctx, staff, ods);
  const checked = checklistInput(raw);
  if ('problems' in checked) throw AppError.invalid(checked.problems);
  const { input } = checked;
  await auditedChange(
    ctx,
    staff,
    (id: string) => ({
      action: 'programme.checklist.update',
      practiceOds: ods,
      subject: id,
      details: { element, status: input.status, onDate: input.onDate },
    }),
    (tx) =>
      store.insertChecklistEntry(tx, {
        practice: ods,
        element,
        input,
        at: ctx.clock.now(),
        by: staff.staffId,
      }),
  );
}

export type PlanForm = {
  nextSteps: string;
  receivingOrg: string;
  owner: string;
  handoverOn: string;
  handover: string;
};

export async function updatePlan(ctx: Ctx, actor: Actor | null, ods: string, raw: PlanForm): Promise<void> {
  const staff = assertStaff(actor, permissions.updateWorkspace);
  await practiceInScope(ctx, staff, ods);
  const checked = planInput(raw);
  if ('problems' in checked) throw AppError.invalid(checked.problems);
  const { input } = checked;
  await auditedChange(
    ctx,
    staff,
    (id: string) => ({
      action: 'programme.transition-plan.update',
      practiceOds: ods,
      subject: id,
      details: { receivingOrg: input.receivingOrg, handoverOn: input.handoverOn },
    }),
    (tx) => store.insertPlan(tx, { practice: ods, input, at: ctx.clock.now(), by: staff.staffId }),
  );
}

export type OfferingForm = { service: string; offered: string; effectiveOn: string; note: string };

/** A facilitator's own record that the practice switched a service on or off on a day. */
export async function recordPracticeOffering(
  ctx: Ctx,
  actor: Actor | null,
  ods: string,
  raw: OfferingForm,
): Promise<void> {
  const staff = assertStaff(actor, permissions.updateWorkspace);
  await practiceInScope(ctx, staff, ods);
  const problems = [];
  const service = TARGET_SERVICES.find((s) => s === raw.service);
  if (!service) problems.push({ field: 'service', message: 'Choose the online service' });
  if (raw.offered !== 'yes' && raw.offered !== 'no')
    problems.push({ field: 'offered', message: 'Choose whether the practice offers it from that day' });
  if (!isIsoDate(raw.effectiveOn))
    problems.push({ field: 'effectiveOn', message: 'Enter the day it changed, for example 30 4 2013' });
  else if (raw.effectiveOn < EARLIEST)
    problems.push({
      field: 'effectiveOn',
      message: `The day it changed must be in ${EARLIEST.slice(0, 4)} or later`,
    });
  else if (raw.effectiveOn > englandDay(ctx.clock.now()))
    problems.push({ field: 'effectiveOn', message: 'The day it changed must be today or in the past' });
  if (raw.note.length > 2000)
    problems.push({ field: 'note', message: 'Enter a note in 2000 characters or fewer' });
  if (problems.length || !service) throw AppError.invalid(problems);
  await recordOfferings(ctx, staff, {
    areas: [],
    changes: [
      {
        practiceOds: ods,
        service,
        offered: raw.offered === 'yes',
        effectiveOn: raw.effectiveOn,
        note: raw.note || null,
        detail: {},
      },
    ],
    reason: 'facilitator workspace',
  });
}

/** What a change form needs: the practice (in the user's portfolio), its checklist and plan now. */
export async function changeFormContext(ctx: Ctx, actor: Actor | null, ods: string) {
  const staff = assertStaff(actor, permissions.updateWorkspace);
  const practice = await practiceInScope(ctx, staff, ods);
  const [checklist, plans] = await Promise.all([
    store.currentChecklists(ctx.db, [ods]),
    store.currentPlans(ctx.db, [ods]),
  ]);
  await auditAlone(ctx, staff, { action: 'programme.workspace.view-form', practiceOds: ods });
  return { practice, checklist, plan: plans[0] ?? null };
}
