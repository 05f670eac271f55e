// Review of issue #10 (finding 13): migration 011 left `default now()` on
// staff_users.totp_confirmed_at, so a staff user inserted without it counted as having a
// confirmed authenticator. 011's backfill has run by now; the default goes, and every insert
// says whether the authenticator is confirmed (a new user's secret was shown to whoever added them).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table staff_users alter column totp_confirmed_at drop default`.execute(db);
}
