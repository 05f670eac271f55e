// Cancelling a whole session (the practitioner is off sick): the session keeps when and why, and
// its slots are withdrawn so none is offered again, including those whose appointments it cancelled.
// Practitioners, locations and slot types already have `active` for retiring them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table clinic_sessions add column cancelled_at timestamptz, add column cancel_reason text;
    alter table slots add column withdrawn boolean not null default false;
  `.execute(db);
}
