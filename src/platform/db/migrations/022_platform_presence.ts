// The days a practice was last found on GP Online (an active practice with an active staff
// account): its offering history counts up to then, so a practice that closes or leaves stops
// counting instead of keeping its last state for ever.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table platform_presence (
      practice_ods text primary key check (practice_ods ~ '^[A-Z0-9]{3,10}$'),
      first_seen date not null,
      last_seen date not null check (last_seen >= first_seen)
    );
  `.execute(db);
}
