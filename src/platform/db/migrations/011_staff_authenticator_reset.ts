// Staff administration (issue #10): an administrator or practice manager may reset a staff
// member's authenticator. The old secret is removed at once (totp_secret becomes null) and the
// person sets up a new one at their next sign-in; it counts only once they confirm it with a
// code (totp_confirmed_at), as patients' do. Existing staff have a confirmed authenticator.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table staff_users
      alter column totp_secret drop not null,
      add column totp_confirmed_at timestamptz default now();
    update staff_users set totp_confirmed_at = created_at;
  `.execute(db);
}
