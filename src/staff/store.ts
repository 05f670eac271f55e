// SQL for staff users and the practices a programme user may see.
import type { Insertable } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import type { StaffUsersTable } from '../platform/db/schema.ts';

type Q = Db | Tx;

export async function insertStaffUser(db: Q, row: Insertable<StaffUsersTable>): Promise<void> {
  await db.insertInto('staff_users').values(row).execute();
}

export async function insertPracticeScopes(db: Q, staffId: string, practices: string[]): Promise<void> {
  await db
    .insertInto('staff_practice_scopes')
    .values(practices.map((p) => ({ staff_id: staffId, practice_ods: p })))
    .execute();
}

const LISTED = [
  'id',
  'email',
  'name',
  'role',
  'practice_ods',
  'commissioner_code',
  'active',
  'locked_at',
  'totp_confirmed_at',
] as const;

/** Every staff user, or one practice's (a practice manager's team). */
export async function listStaffUsers(db: Q, practiceOds: string | null = null) {
  let q = db.selectFrom('staff_users').select(LISTED);
  if (practiceOds) q = q.where('practice_ods', '=', practiceOds);
  return q.orderBy('role').orderBy('name').limit(500).execute();
}

export type StaffUserRow = Awaited<ReturnType<typeof listStaffUsers>>[number];

export async function staffUserById(db: Q, id: string): Promise<StaffUserRow | undefined> {
  return db.selectFrom('staff_users').select(LISTED).where('id', '=', id).executeTakeFirst();
}

/** The row locked for a change, so two administrators acting at once are serialised. */
export async function staffUserForUpdate(tx: Tx, id: string): Promise<StaffUserRow | undefined> {
  return tx.selectFrom('staff_users').select(LISTED).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Clears a lock set by wrong security codes; the user's practice, or undefined when not locked. */
export async function unlockStaffUser(db: Q, staffId: string) {
  return db
    .updateTable('staff_users')
    .set({ locked_at: null, code_failed_attempts: 0 })
    .where('id', '=', staffId)
    .where('locked_at', 'is not', null)
    .returning(['practice_ods'])
    .executeTakeFirst();
}

export async function setActive(db: Q, staffId: string, active: boolean): Promise<void> {
  await db.updateTable('staff_users').set({ active }).where('id', '=', staffId).execute();
}

/** Removes the authenticator (and any lock): a new one is set up at the next sign-in. */
export async function clearAuthenticator(db: Q, staffId: string): Promise<void> {
  await db
    .updateTable('staff_users')
    .set({ totp_secret: null, totp_confirmed_at: null, locked_at: null, code_failed_attempts: 0 })
    .where('id', '=', staffId)
    .execute();
}

// --- Setting up a new authenticator at sign-in, after a reset ------------------------------------

export async function totpState(db: Q, staffId: string) {
  return db
    .selectFrom('staff_users')
    .select(['email', 'totp_secret', 'totp_confirmed_at', 'locked_at', 'practice_ods', 'role'])
    .where('id', '=', staffId)
    .where('active', '=', true)
    .executeTakeFirst();
}

/** A new secret for one set-up session, replacing any shown to an earlier one; false once confirmed. */
export async function setUnconfirmedTotpSecret(db: Q, staffId: string, sealed: string): Promise<boolean> {
  const r = await db
    .updateTable('staff_users')
    .set({ totp_secret: sealed })
    .where('id', '=', staffId)
    .where('active', '=', true)
    .where('totp_confirmed_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * Confirms the new authenticator only while its secret is still the one the code was checked
 * against (a reset or another set-up since then wins); false when it was not.
 */
export async function confirmTotp(db: Q, staffId: string, secret: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('staff_users')
    .set({ totp_confirmed_at: now })
    .where('id', '=', staffId)
    .where('totp_secret', '=', secret)
    .where('totp_confirmed_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
