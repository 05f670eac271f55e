// The outbox: messages go out through the sender; a failing sender never loses one (it is retried
// with a growing wait, then marked failed); reminders are queued once per appointment.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock, testApp, type TestApp } from '../../test/support/harness.ts';
import { loadDemo } from '../demo/load.ts';
import { enqueue } from './store.ts';
import { deliverDue, queueReminders } from './deliver.ts';
import type { OutgoingMessage, Sender } from './senders.ts';

const clock = fixedClock('2026-11-30T07:00:00Z');
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

test('a failing sender is retried later, then the message is marked failed; a working one sends it once', async () => {
  await t.db.db.transaction().execute((tx) =>
    enqueue(
      tx,
      {
        practiceOds: 'P81082',
        patientId: null,
        kind: 'appointment-booked',
        email: 'a@example.test',
        personalisation: { when: 'soon' },
        reference: 'ref-1',
      },
      clock.now(),
    ),
  );
  const broken: Sender = { name: 'broken', send: () => Promise.reject(new Error('Notify is down')) };
  let now = clock.now();
  assert.deepEqual(await deliverDue(t.db.db, broken, now), { sent: 0, failed: 0, retrying: 1 });
  assert.deepEqual(
    await deliverDue(t.db.db, broken, now),
    { sent: 0, failed: 0, retrying: 0 },
    'not due again at once',
  );
  for (let i = 0; i < 4; i++) {
    now = new Date(now.getTime() + 2 ** (i + 1) * 60_000);
    await deliverDue(t.db.db, broken, now);
  }
  const row = await t.db.db
    .selectFrom('notifications_outbox')
    .selectAll()
    .where('reference', '=', 'ref-1')
    .executeTakeFirstOrThrow();
  assert.equal(row.status, 'pending');
  assert.equal(row.last_error, 'Notify is down');
  const sent: OutgoingMessage[] = [];
  const working: Sender = {
    name: 'test',
    send: (m) => {
      sent.push(m);
      return Promise.resolve();
    },
  };
  await deliverDue(t.db.db, working, new Date(now.getTime() + 3_600_000));
  await deliverDue(t.db.db, working, new Date(now.getTime() + 7_200_000));
  assert.deepEqual(
    sent.map((m) => [m.reference, m.personalisation.when]),
    [['ref-1', 'soon']],
  );
});

test('reminders: one per booked appointment starting within a day, to the account email', async () => {
  const patient = await t.db.db
    .selectFrom('online_accounts')
    .select(['patient_id', 'email'])
    .where('email', 'like', 'p5.%')
    .executeTakeFirstOrThrow();
  const slot = await t.db.db
    .selectFrom('slots')
    .select('id')
    .where('practice_ods', '=', 'P81082')
    .where('starts_at', '>', new Date('2026-12-01T08:00:00Z'))
    .orderBy('starts_at')
    .executeTakeFirstOrThrow();
  await t.db.db
    .insertInto('appointments')
    .values({
      id: crypto.randomUUID(),
      practice_ods: 'P81082',
      slot_id: slot.id,
      patient_id: patient.patient_id!,
      reason: null,
      booked_online: true,
      booked_by_type: 'patient',
      booked_by: 'test',
      booked_at: clock.now(),
      status_changed_at: clock.now(),
    })
    .execute();
  assert.equal(await queueReminders(t.db.db, clock.now()), 0, 'more than a day ahead');
  const dayBefore = new Date('2026-11-30T09:00:00Z');
  assert.equal(await queueReminders(t.db.db, dayBefore), 1);
  assert.equal(await queueReminders(t.db.db, dayBefore), 0, 'never twice');
  const m = await t.db.db
    .selectFrom('notifications_outbox')
    .selectAll()
    .where('kind', '=', 'appointment-reminder')
    .executeTakeFirstOrThrow();
  assert.equal(m.email, patient.email);
  assert.match(m.personalisation.when ?? '', /December 2026 at/);
});

test('HAZ-12 secret links: a sent sign-up link is not kept in the outbox', async () => {
  await t.db.db.transaction().execute((tx) =>
    enqueue(
      tx,
      {
        practiceOds: null,
        patientId: null,
        kind: 'account-confirm-email',
        email: 'new@example.test',
        personalisation: { link: 'http://localhost/patient/sign-up/confirm?token=secret-token' },
        reference: 'account:x',
      },
      clock.now(),
    ),
  );
  const sent: OutgoingMessage[] = [];
  await deliverDue(t.db.db, { name: 'test', send: (m) => (sent.push(m), Promise.resolve()) }, clock.now());
  assert.ok(sent.some((m) => m.personalisation.link?.includes('secret-token')));
  const row = await t.db.db
    .selectFrom('notifications_outbox')
    .select(['status', 'personalisation'])
    .where('reference', '=', 'account:x')
    .executeTakeFirstOrThrow();
  assert.equal(row.status, 'sent');
  assert.ok(!JSON.stringify(row.personalisation).includes('secret-token'));
});
