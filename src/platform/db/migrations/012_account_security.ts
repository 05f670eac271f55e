// Account security follow-ups (issue #10 review, helper R1):
// - a new authenticator waiting for its first code belongs to the session that started it, for a
//   short while only (totp_pending_session_id, totp_pending_at);
// - the outbox carries "your recovery codes were replaced".
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table staff_users
      add column totp_pending_session_id text,
      add column totp_pending_at timestamptz;
    alter table online_accounts
      add column totp_pending_session_id text,
      add column totp_pending_at timestamptz;
    update staff_users set totp_pending_secret = null;
    update online_accounts set totp_pending_secret = null;

    alter table notifications_outbox drop constraint notifications_outbox_kind_check;
    alter table notifications_outbox add constraint notifications_outbox_kind_check check (kind in (
      'appointment-booked', 'appointment-cancelled', 'appointment-reminder',
      'account-confirm-email', 'account-exists',
      'account-password-reset', 'account-password-changed',
      'account-email-change', 'account-email-changed', 'account-email-in-use',
      'account-authenticator-changed', 'account-recovery-codes-new'));
  `.execute(db);
}
