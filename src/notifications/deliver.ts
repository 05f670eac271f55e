// Delivers due outbox messages and queues appointment reminders. Runs in the server's background
// loop; several processes may run it at once: rows are claimed with FOR UPDATE SKIP LOCKED.
import type { Db } from '../platform/db/index.ts';
import type { Sender } from './senders.ts';
import * as store from './store.ts';

const MAX_ATTEMPTS = 6;

/** Sends up to `limit` due messages; a failure is retried later with a growing wait, then marked failed. */
export async function deliverDue(
  db: Db,
  sender: Sender,
  now: Date,
  limit = 50,
): Promise<{ sent: number; failed: number; retrying: number }> {
  return db.transaction().execute(async (tx) => {
    const due = await store.claimDue(tx, now, limit);
    const result = { sent: 0, failed: 0, retrying: 0 };
    for (const m of due) {
      // An account message carries a secret link: once sent, or never to be sent, it is not kept.
      const account = m.kind.startsWith('account-');
      const attempts = m.attempts + 1;
      try {
        await sender.send(m);
        await store.recordOutcome(tx, m.id, { status: 'sent', attempts, forgetLink: account }, now);
        result.sent++;
      } catch (err) {
        const give = attempts >= MAX_ATTEMPTS;
        await store.recordOutcome(
          tx,
          m.id,
          {
            status: give ? 'failed' : 'pending',
            attempts,
            error: (err instanceof Error ? err.message : String(err)).slice(0, 500),
            retryAt: new Date(now.getTime() + 2 ** attempts * 60_000),
            forgetLink: give && account,
          },
          now,
        );
        result[give ? 'failed' : 'retrying']++;
      }
    }
    return result;
  });
}

/** Queues a reminder for every booked appointment starting within `aheadHours` that has had none. */
export async function queueReminders(db: Db, now: Date, aheadHours = 24): Promise<number> {
  return store.queueDueReminders(db, now, aheadHours);
}
