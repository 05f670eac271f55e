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

export async function listStaffUsers(db: Q) {
  return db
    .selectFrom('staff_users')
    .select(['id', 'email', 'name', 'role', 'practice_ods', 'commissioner_code', 'active', 'locked_at'])
    .orderBy('role')
    .orderBy('name')
    .limit(500)
    .execute();
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
