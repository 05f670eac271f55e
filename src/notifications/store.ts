// The notifications outbox: messages are written in the same transaction as the change they tell
// of (a booking, a cancellation), so there is never one without the other, and are sent later by
// a sender (deliver.ts). Sending can therefore never slow down or fail a booking.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import type { NotificationKind } from '../platform/db/schema.ts';

export type Message = {
  /** Null for account messages before the account belongs to a practice. */
  practiceOds: string | null;
  patientId: string | null;
  kind: NotificationKind;
  email: string;
  personalisation: Record<string, string>;
  /** Our reference for the message (for example the appointment id), passed to the sender. */
  reference: string;
};

export async function enqueue(tx: Tx, m: Message, now: Date): Promise<void> {
  await tx
    .insertInto('notifications_outbox')
    .values({
      id: randomUUID(),
      practice_ods: m.practiceOds,
      patient_id: m.patientId,
      kind: m.kind,
      email: m.email,
      personalisation: JSON.stringify(m.personalisation),
      reference: m.reference,
      next_attempt_at: now,
      created_at: now,
    })
    .execute();
}

/** Claims up to `limit` due messages until the transaction ends; other processes skip them. */
export function claimDue(tx: Tx, now: Date, limit: number) {
  return tx
    .selectFrom('notifications_outbox')
    .select(['id', 'kind', 'email', 'personalisation', 'reference', 'attempts'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export type Outcome =
  | { status: 'sent'; attempts: number; forgetLink: boolean }
  | { status: 'pending' | 'failed'; attempts: number; error: string; retryAt: Date; forgetLink: boolean };

export async function recordOutcome(tx: Tx, id: string, outcome: Outcome, now: Date): Promise<void> {
  const set =
    outcome.status === 'sent'
      ? {
          status: outcome.status,
          sent_at: now,
          attempts: outcome.attempts,
          last_error: null,
          ...(outcome.forgetLink ? { personalisation: JSON.stringify({ link: '(sent)' }) } : {}),
        }
      : {
          status: outcome.status,
          attempts: outcome.attempts,
          last_error: outcome.error,
          next_attempt_at: outcome.retryAt,
          ...(outcome.forgetLink ? { personalisation: JSON.stringify({ link: '(not sent)' }) } : {}),
        };
  await tx.updateTable('notifications_outbox').set(set).where('id', '=', id).execute();
}

/**
 * Queues a reminder for every booked appointment starting within `aheadHours` that has had none,
 * to the patient's online account email; one statement, so a reminder is queued exactly once.
 */
export async function queueDueReminders(db: Db, now: Date, aheadHours: number): Promise<number> {
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
