// Messages to patients and staff: queued in the sender's transaction, delivered by the outbox job.
export { enqueue, type Message } from './store.ts';
export { deliverDue, queueReminders } from './deliver.ts';
export { logSender, notifySender, type Sender } from './senders.ts';
