// Staff administration: an administrator (anyone) or a practice manager (their own practice's
// staff) disables, re-enables and unlocks staff accounts and resets an authenticator. Every
// action, and every refusal of one, is audited; rules.ts says who may act on whom.
import { voidPendingAccountChanges } from '../accounts/index.ts';
import type { Actor, StaffActor } from '../platform/auth/actor.ts';
import { assertStaff, can } from '../platform/auth/permissions.ts';
import { deleteAllFor } from '../platform/auth/sessions.ts';
import { audit, auditAlone } from '../platform/audit/use-case.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/index.ts';
import { AppError } from '../platform/http/errors.ts';
import { permissions } from './permissions.ts';
import { manageRefusal, NO_PERMISSION } from './rules.ts';
import * as store from './store.ts';
import type { StaffUserRow } from './store.ts';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_SUCH = 'There is no such staff user.';

/** Whose accounts this actor manages: an administrator every one, a practice manager their practice's. */
function scopeOf(staff: StaffActor): string | null {
  return staff.role === 'admin' ? null : (staff.practiceOds ?? '-');
}

export async function listStaff(ctx: Ctx, actor: Actor | null): Promise<StaffUserRow[]> {
  const staff = assertStaff(actor, permissions.manageTeam);
  return store.listStaffUsers(ctx.db, scopeOf(staff));
}

/** Whether the target is among the staff this actor manages (others are "no such user" to them). */
function inScope(staff: StaffActor, target: StaffUserRow): boolean {
  const scope = scopeOf(staff);
  return scope === null || target.practice_ods === scope;
}

/**
 * The actor as a manager of staff; a signed-in person whose role may not is refused, and the
 * refusal audited (the target's practice is not looked up: they may not learn it).
 */
async function assertManager(
  ctx: Ctx,
  actor: Actor | null,
  event: { action: string; id: string },
): Promise<StaffActor> {
  if (actor && !can(actor, permissions.manageTeam))
    await auditAlone(ctx, actor, {
      action: event.action,
      outcome: 'denied',
      subject: ID.test(event.id) ? `staff:${event.id}` : null,
      details: { reason: NO_PERMISSION },
    });
  return assertStaff(actor, permissions.manageTeam);
}

/** One staff user the actor may see (another practice's is "no such user" to a practice manager). */
export async function staffUser(ctx: Ctx, actor: Actor | null, id: string) {
  const staff = await assertManager(ctx, actor, { action: 'staff.view', id });
  const row = ID.test(id) ? await store.staffUserById(ctx.db, id) : undefined;
  if (!row || !inScope(staff, row)) throw new AppError('not-found', NO_SUCH);
  return { user: row, refusal: manageRefusal(staff, row), self: row.id === staff.staffId };
}

export type StaffAction = 'disable' | 'enable' | 'unlock' | 'reset-authenticator';

const ALREADY: Record<StaffAction, string> = {
  disable: 'This account is already disabled.',
  enable: 'This account is already active.',
  unlock: 'This account is not locked.',
  'reset-authenticator': 'This person has not set up their authenticator app since the last reset.',
};

/**
 * One administrative action on a staff account, in one transaction with its audit row: the row
 * is locked first, the rules decide, then the change. A refusal is audited as denied; someone
 * outside a practice manager's practice is "no such user", as on their page.
 */
export async function actOnStaff(
  ctx: Ctx,
  actor: Actor | null,
  a: { id: string; action: StaffAction },
): Promise<{ name: string; sessionsEnded: number }> {
  const staff = await assertManager(ctx, actor, { action: `staff.${a.action}`, id: a.id });
  if (!ID.test(a.id)) throw new AppError('not-found', NO_SUCH);
  const event = { action: `staff.${a.action}`, subject: `staff:${a.id}` };
  const refused = await ctx.db.transaction().execute(async (tx) => {
    const target = await store.staffUserForUpdate(tx, a.id);
    if (!target) throw new AppError('not-found', NO_SUCH);
    const refusal = manageRefusal(staff, target);
    if (refusal)
      return { ok: false as const, refusal, practiceOds: target.practice_ods, seen: inScope(staff, target) };
    const done = await change(tx, target, a.action, ctx.clock.now());
    await audit(tx, ctx, staff, {
      ...event,
      practiceOds: target.practice_ods,
      details: { role: target.role, ...done.details },
    });
    return { ok: true as const, name: target.name, sessionsEnded: done.sessionsEnded };
  });
  if (!refused.ok) {
    await auditAlone(ctx, staff, {
      ...event,
      outcome: 'denied',
      practiceOds: refused.practiceOds,
      details: { reason: refused.refusal },
    });
    throw refused.seen ? new AppError('forbidden', refused.refusal) : new AppError('not-found', NO_SUCH);
  }
  return { name: refused.name, sessionsEnded: refused.sessionsEnded };
}

async function change(
  tx: Tx,
  target: StaffUserRow,
  action: StaffAction,
  now: Date,
): Promise<{ sessionsEnded: number; details: Record<string, unknown> }> {
  const conflict = () => new AppError('conflict', ALREADY[action], { reason: `not-${action}` });
  switch (action) {
    case 'disable': {
      if (!target.active) throw conflict();
      await store.setActive(tx, target.id, false);
      // A reset link, change of address or new authenticator started before must not finish after.
      await voidPendingAccountChanges(tx, 'staff', target.id, now);
      // Disabled means signed out everywhere, now: every session and API token ends.
      const sessionsEnded = await deleteAllFor(tx, 'staff', target.id);
      return { sessionsEnded, details: { sessionsEnded } };
    }
    case 'enable':
      if (target.active) throw conflict();
      await store.setActive(tx, target.id, true);
      return { sessionsEnded: 0, details: {} };
    case 'unlock':
      if (!(await store.unlockStaffUser(tx, target.id))) throw conflict();
      return { sessionsEnded: 0, details: {} };
    case 'reset-authenticator': {
      if (!target.totp_confirmed_at) throw conflict();
      await store.clearAuthenticator(tx, target.id);
      // Whoever held the old authenticator may have started one of these: they end too.
      await voidPendingAccountChanges(tx, 'staff', target.id, now);
      // Whoever holds the old authenticator (or a session made with it) is out at once.
      const sessionsEnded = await deleteAllFor(tx, 'staff', target.id);
      return { sessionsEnded, details: { sessionsEnded, unlocked: target.locked_at !== null } };
    }
  }
}
