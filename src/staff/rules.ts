// Pure rules of staff administration: who may act on whose account, and plain role labels.
import type { StaffActor } from '../platform/auth/actor.ts';
import type { StaffRole } from '../platform/db/schema.ts';

/** Role names as people say them (the header, user pages). */
export const ROLE_LABELS: Record<StaffRole, string> = {
  receptionist: 'Receptionist',
  clinician: 'Clinician',
  'practice-manager': 'Practice manager',
  facilitator: 'Facilitator',
  commissioner: 'Commissioner',
  admin: 'Administrator',
};

export function roleLabel(role: StaffRole): string {
  return ROLE_LABELS[role];
}

export type ManagedStaff = { id: string; role: StaffRole; practice_ods: string | null };

/**
 * Nobody acts on their own account here: disabling yourself could leave a practice (or the
 * service) with no one to undo it, and someone who took over your session could otherwise
 * replace your authenticator without a recovery code. Your own account page does that safely.
 */
export const SELF_REFUSAL =
  'You cannot do this to your own account. Ask another administrator or your practice manager.';
export const ADMIN_REFUSAL = 'Only an administrator can change an administrator’s account.';
export const OTHER_PRACTICE_REFUSAL = 'You can only manage staff at your own practice.';
export const NO_PERMISSION = 'You do not have permission to do this.';

/**
 * Why this actor may not disable, re-enable, unlock or reset this staff member, or null when they
 * may: an administrator for anyone but themselves; a practice manager for their own practice's
 * staff, never an administrator or someone of another practice (or of none).
 */
export function manageRefusal(actor: StaffActor, target: ManagedStaff): string | null {
  if (actor.staffId === target.id) return SELF_REFUSAL;
  if (actor.role === 'admin') return null;
  if (actor.role !== 'practice-manager') return NO_PERMISSION;
  if (target.role === 'admin') return ADMIN_REFUSAL;
  if (!actor.practiceOds || target.practice_ods !== actor.practiceOds) return OTHER_PRACTICE_REFUSAL;
  return null;
}

export type StaffAccountState = { active: boolean; locked_at: Date | null; totp_confirmed_at: Date | null };

/** What can be done to an account now (buttons on the user page), given the actor may act on it. */
export function actionsFor(s: StaffAccountState) {
  return {
    disable: s.active,
    enable: !s.active,
    unlock: s.locked_at !== null,
    resetAuthenticator: s.totp_confirmed_at !== null,
  };
}

export function statusText(s: StaffAccountState): string {
  if (!s.active) return 'Disabled';
  if (s.locked_at) return 'Locked after too many wrong security codes';
  if (!s.totp_confirmed_at) return 'Waiting to set up a new authenticator app';
  return 'Active';
}
