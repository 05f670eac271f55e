// Who may do what, declared once per feature as a table of rules; never scattered ifs.
import { AppError } from '../http/errors.ts';
import type { Actor, PatientActor, StaffActor } from './actor.ts';
import type { StaffRole } from '../db/schema.ts';

/** A rule: which staff roles, and whether the target practice must be the actor's own. */
export type StaffRule = { staff: readonly StaffRole[]; ownPractice: boolean };
export type PatientRule = { patient: true };
export type Rule = StaffRule | PatientRule;

export function definePermissions<T extends Record<string, Rule>>(rules: T): T {
  return rules;
}

export function can(actor: Actor | null, rule: Rule, practiceOds?: string | null): boolean {
  if (!actor) return false;
  if ('patient' in rule) return actor.kind === 'patient';
  if (actor.kind !== 'staff' || !rule.staff.includes(actor.role)) return false;
  if (!rule.ownPractice) return true;
  return practiceOds != null && actor.practiceOds === practiceOds;
}

export function assertCan(actor: Actor | null, rule: Rule, practiceOds?: string | null): void {
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  if (!can(actor, rule, practiceOds))
    throw new AppError('forbidden', 'You do not have permission to do this.');
}

export function assertStaff(actor: Actor | null, rule: StaffRule, practiceOds?: string | null): StaffActor {
  assertCan(actor, rule, practiceOds);
  return actor as StaffActor;
}

export type PracticeStaff = StaffActor & { practiceOds: string };

/** Staff acting at their own practice: the rule is checked against the actor's practice, which then is certain. */
export function assertOwnPracticeStaff(actor: Actor | null, rule: StaffRule): PracticeStaff {
  return assertStaff(actor, rule, actor?.kind === 'staff' ? actor.practiceOds : null) as PracticeStaff;
}

export function assertPatient(actor: Actor | null): PatientActor {
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue.');
  if (actor.kind !== 'patient')
    throw new AppError('forbidden', 'This is for patients signed in to their own account.');
  return actor;
}
