// Account self-service (issue #10): forgotten passwords, changing the password, the email
// address and the authenticator, for patients and staff alike.
// - password_resets and email_changes keep only the SHA-256 of each link's token; a link works
//   once, for a short while, and a newer one ends the older ones (used_at set);
// - password_changed_at says when the password was last changed (unknown before this);
// - totp_pending_secret holds a new authenticator (sealed) until a code from it confirms it, so
//   the old one keeps working until then;
// - the outbox carries the new account messages.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table staff_users
      add column password_changed_at timestamptz,
      add column totp_pending_secret text;
    alter table online_accounts
      add column password_changed_at timestamptz,
      add column totp_pending_secret text;

    create table password_resets (
      token_hash text primary key,
      principal_type text not null check (principal_type in ('patient', 'staff')),
      principal_id uuid not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index password_resets_principal on password_resets (principal_type, principal_id);

    create table email_changes (
      token_hash text primary key,
      principal_type text not null check (principal_type in ('patient', 'staff')),
      principal_id uuid not null,
      new_email text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index email_changes_principal on email_changes (principal_type, principal_id);

    alter table notifications_outbox drop constraint notifications_outbox_kind_check;
    alter table notifications_outbox add constraint notifications_outbox_kind_check check (kind in (
      'appointment-booked', 'appointment-cancelled', 'appointment-reminder',
      'account-confirm-email', 'account-exists',
      'account-password-reset', 'account-password-changed',
      'account-email-change', 'account-email-changed', 'account-email-in-use',
      'account-authenticator-changed'));
  `.execute(db);
}
