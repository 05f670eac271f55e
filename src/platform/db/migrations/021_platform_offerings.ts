// Offerings of practices on GP Online come from their own settings: the programme asks, on every
// change of a patient's online services, which record levels the practice's patients have.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index online_services_practice_level on online_services (practice_ods, record_level);
  `.execute(db);
}
