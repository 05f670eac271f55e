// Delivers due outbox messages and queues appointment reminders. Runs in the server's background
// loop; several processes may run it at once: rows are claimed with FOR UPDATE SKIP LOCKED.
import { sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { Sender } from './senders.ts';

const MAX_ATTEMPTS = 6;

/** Sends up to `limit` due messages; a failure is retried later with a growing wait, then marked failed. */
export async function deliverDue(
  db: Db,
  sender: Sender,
  now: Date,
  limit = 50,
): Promise<{ sent: number; failed: number; retrying: number }> {
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('notifications_outbox')
      .select(['id', 'kind', 'email', 'personalisation', 'reference', 'attempts'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    const result = { sent: 0, failed: 0, retrying: 0 };
    for (const m of due) {
      try {
        await sender.send(m);
        await tx
          .updateTable('notifications_outbox')
          .set({
            status: 'sent',
            sent_at: now,
            attempts: m.attempts + 1,
            last_error: null,
            // An account message carries a secret link: once sent, the outbox forgets it.
            ...(m.kind.startsWith('account-') ? { personalisation: JSON.stringify({ link: '(sent)' }) } : {}),
          })
          .where('id', '=', m.id)
          .execute();
        result.sent++;
      } catch (err) {
        const attempts = m.attempts + 1;
        const give = attempts >= MAX_ATTEMPTS;
        await tx
          .updateTable('notifications_outbox')
          .set({
            status: give ? 'failed' : 'pending',
            attempts,
            last_error: (err instanceof Error ? err.message : String(err)).slice(0, 500),
            next_attempt_at: new Date(now.getTime() + 2 ** attempts * 60_000),
            // A secret link that will never be sent is not kept either.
            ...(give && m.kind.startsWith('account-')
              ? { personalisation: JSON.stringify({ link: '(not sent)' }) }
              : {}),
          })
          .where('id', '=', m.id)
          .execute();
        result[give ? 'failed' : 'retrying']++;
      }
    }
    return result;
  });
}

/**
 * Queues a reminder for every booked appointment starting within `aheadHours` that has had none,
 * to the patient's online account email; one statement, so a reminder is queued exactly once.
 */
export async function queueReminders(db: Db, now: Date, aheadHours = 24): Promise<number> {
  const until = new Date(now.getTime() + aheadHours * 3_600_000);
  const r = await sql<{ n: number }>`
    with due as (
      update appointments a set reminded_at = ${now}
      from slots s
      where s.id = a.slot_id and a.status = 'booked' and a.reminded_at is null
        and s.starts_at > ${now} and s.starts_at <= ${until}
      returning a.id, a.practice_ods, a.patient_id, s.starts_at, s.slot_type_id, s.practitioner_id, s.location_id
    ), queued as (
      insert into notifications_outbox (id, practice_ods, patient_id, kind, email, personalisation, reference, next_attempt_at, created_at)
      select gen_random_uuid(), d.practice_ods, d.patient_id, 'appointment-reminder', o.email,
        jsonb_build_object('when', to_char(d.starts_at at time zone 'Europe/London', 'FMDay FMDD FMMonth YYYY "at" HH24:MI'),
          'what', t.name, 'with', p.name, 'where', l.name),
        d.id::text, ${now}, ${now}
      from due d
      join online_accounts o on o.patient_id = d.patient_id
      join slot_types t on t.id = d.slot_type_id
      join practitioners p on p.id = d.practitioner_id
      join locations l on l.id = d.location_id
      returning 1
    )
    select count(*)::int as n from queued
  `.execute(db);
  return r.rows[0]?.n ?? 0;
}
