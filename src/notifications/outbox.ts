// The notifications outbox: messages are written in the same transaction as the change they tell
// of (a booking, a cancellation), so there is never one without the other, and are sent later by
// a sender (deliver.ts). Sending can therefore never slow down or fail a booking.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../platform/db/index.ts';
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
