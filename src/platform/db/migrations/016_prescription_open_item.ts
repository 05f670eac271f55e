// Review of issue #11: an approved item kept its repeat "open", so a practice that approves but
// never records the issue left the patient unable to order again, even once due. Approval
// records the issue (and the last-issued day that the early-order rules count from), so only an
// item still waiting for a prescriber blocks another order of the same repeat.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index prescription_items_one_open;
    create unique index prescription_items_one_open on prescription_request_items (template_id)
      where status = 'requested';
  `.execute(db);
}
