// Whether a slot holds a live appointment, kept on the slot by a trigger on appointments, so that
// finding free slots is an index range scan instead of a check of every slot against appointments
// (in a rush most slots are taken, and every refusal looks for the next three free). The partial
// unique index on appointments stays the guarantee against double booking; this is its summary.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table slots add column booked boolean not null default false;
    update slots s set booked = exists (select 1 from appointments a where a.slot_id = s.id and a.status <> 'cancelled');
    create index slots_free on slots (practice_ods, slot_type_id, starts_at) where not booked and not withdrawn;
    create index slots_free_any on slots (practice_ods, starts_at) where not booked and not withdrawn;
    create function slot_booked_sync() returns trigger language plpgsql as $$
    begin
      update slots set booked = exists (
        select 1 from appointments a where a.slot_id = new.slot_id and a.status <> 'cancelled')
      where id = new.slot_id;
      return null;
    end $$;
    create trigger appointments_slot_booked after insert or update of status on appointments
      for each row execute function slot_booked_sync();
  `.execute(db);
}
