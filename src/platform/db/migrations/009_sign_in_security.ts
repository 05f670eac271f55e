// Sign-in and account security (issue #8):
// - a TOTP code works once: the last accepted time step is kept per account;
// - wrong passwords only slow an email address down (counted in rate_limits, for addresses with
//   and without an account alike), they never lock it: failed_attempts and locked_until go; wrong
//   security codes after a right password lock the account (locked_at) until staff unlock it;
// - sign-up confirms the email address by a link before the account can go on, so sign-up never
//   tells a stranger whether an address has an account; the outbox carries account messages,
//   which belong to no practice yet.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table staff_users
      add column totp_last_step bigint,
      add column code_failed_attempts integer not null default 0,
      add column locked_at timestamptz,
      drop column failed_attempts,
      drop column locked_until;
    alter table online_accounts
      add column totp_last_step bigint,
      add column code_failed_attempts integer not null default 0,
      add column locked_at timestamptz,
      add column email_confirmed_at timestamptz,
      drop column failed_attempts,
      drop column locked_until;
    update online_accounts set email_confirmed_at = created_at;

    create table email_confirmations (
      token_hash text primary key,
      account_id uuid not null references online_accounts (id) on delete cascade,
      expires_at timestamptz not null,
      used_at timestamptz,
      -- A sign-up again before confirming: its password takes effect only when its link is spent.
      password_hash text
    );
    create index email_confirmations_account on email_confirmations (account_id);

    alter table notifications_outbox alter column practice_ods drop not null;
    alter table notifications_outbox drop constraint notifications_outbox_kind_check;
    alter table notifications_outbox add constraint notifications_outbox_kind_check check (kind in (
      'appointment-booked', 'appointment-cancelled', 'appointment-reminder',
      'account-confirm-email', 'account-exists'));

    -- Recovery codes are never kept in clear: sessions from before this kept them in their data.
    update sessions set data = data - 'recoveryCodes' where data ? 'recoveryCodes';
  `.execute(db);
}
