// SQL for account self-service, for patients' online accounts and staff users alike: the
// account page, forgotten-password and change-of-address links (kept as hashes), the password,
// the email address and a new authenticator waiting for its first code.
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import type { PrincipalType } from '../platform/db/schema.ts';

type Q = Db | Tx;

const table = (type: PrincipalType) => (type === 'staff' ? 'staff_users' : 'online_accounts');

/** A live account (not disabled) with what its messages and audit rows need. */
export type SelfAccount = {
  id: string;
  email: string;
  role: string;
  password_hash: string;
  practice_ods: string | null;
  patient_id: string | null;
  password_changed_at: Date | null;
  totp_set_up: boolean;
};

export async function liveAccount(
  db: Q,
  type: PrincipalType,
  by: { id: string } | { email: string },
): Promise<SelfAccount | undefined> {
  const match = 'id' in by ? sql`id = ${by.id}` : sql`lower(email) = ${by.email.trim().toLowerCase()}`;
  const r =
    type === 'staff'
      ? await sql<SelfAccount>`
          select id, email, role, password_hash, practice_ods, null::uuid as patient_id, password_changed_at,
            totp_confirmed_at is not null as totp_set_up
          from staff_users where active and ${match}`.execute(db)
      : await sql<SelfAccount>`
          select id, email, 'patient' as role, password_hash, practice_ods, patient_id, password_changed_at,
            totp_confirmed_at is not null as totp_set_up
          from online_accounts where disabled_at is null and ${match}`.execute(db);
  return r.rows[0];
}

/**
 * Holds the account's row until the transaction ends, so two requests at once make their links
 * one after the other ("a newer link voids the older ones" holds even then).
 */
export async function lockAccountRow(db: Q, type: PrincipalType, id: string): Promise<void> {
  await sql`select id from ${sql.table(table(type))} where id = ${id} for update`.execute(db);
}

/** Whether any account of this kind other than `exceptId` (disabled or not) has the address. */
export async function emailTaken(
  db: Q,
  type: PrincipalType,
  email: string,
  exceptId: string,
): Promise<boolean> {
  const r = await db
    .selectFrom(table(type))
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  return r !== undefined;
}

export async function unusedRecoveryCodes(db: Q, accountId: string): Promise<number> {
  const r = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function setPassword(
  db: Q,
  p: { type: PrincipalType; id: string; passwordHash: string; now: Date },
): Promise<void> {
  await db
    .updateTable(table(p.type))
    .set({ password_hash: p.passwordHash, password_changed_at: p.now })
    .where('id', '=', p.id)
    .execute();
}

export async function setEmail(db: Q, p: { type: PrincipalType; id: string; email: string }): Promise<void> {
  await db.updateTable(table(p.type)).set({ email: p.email }).where('id', '=', p.id).execute();
}

// --- Links: forgotten password and change of address --------------------------------------------

type LinkTable = 'password_resets' | 'email_changes';
export type LinkOwner = { principal_type: PrincipalType; principal_id: string };

/** A newer link voids the older ones of the same kind for the account. */
export async function endLinks(db: Q, t: LinkTable, owner: LinkOwner, now: Date): Promise<void> {
  await db
    .updateTable(t)
    .set({ used_at: now })
    .where('principal_type', '=', owner.principal_type)
    .where('principal_id', '=', owner.principal_id)
    .where('used_at', 'is', null)
    .execute();
}

/** How many reset links the account was sent since then. */
export async function resetsSince(db: Q, owner: LinkOwner, since: Date): Promise<number> {
  const r = await db
    .selectFrom('password_resets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('principal_type', '=', owner.principal_type)
    .where('principal_id', '=', owner.principal_id)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function saveReset(
  db: Q,
  r: LinkOwner & { token_hash: string; created_at: Date; expires_at: Date },
): Promise<void> {
  await db
    .insertInto('password_resets')
    .values({ ...r, used_at: null })
    .execute();
}

export async function saveEmailChange(
  db: Q,
  r: LinkOwner & { token_hash: string; new_email: string; created_at: Date; expires_at: Date },
): Promise<void> {
  await db
    .insertInto('email_changes')
    .values({ ...r, used_at: null })
    .execute();
}

export async function liveReset(db: Q, tokenHash: string, now: Date): Promise<LinkOwner | undefined> {
  return db
    .selectFrom('password_resets')
    .select(['principal_type', 'principal_id'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function liveEmailChange(
  db: Q,
  tokenHash: string,
  now: Date,
): Promise<(LinkOwner & { new_email: string }) | undefined> {
  return db
    .selectFrom('email_changes')
    .select(['principal_type', 'principal_id', 'new_email'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Spends a live link in one statement (two requests with one link: one wins); undefined when dead. */
export async function spendReset(db: Q, tokenHash: string, now: Date): Promise<LinkOwner | undefined> {
  return db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['principal_type', 'principal_id'])
    .executeTakeFirst();
}

export async function spendEmailChange(
  db: Q,
  tokenHash: string,
  now: Date,
): Promise<(LinkOwner & { new_email: string }) | undefined> {
  return db
    .updateTable('email_changes')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['principal_type', 'principal_id', 'new_email'])
    .executeTakeFirst();
}

// --- A new authenticator --------------------------------------------------------------------------

/** A new authenticator waiting for its first code, belonging to the session that started it. */
export async function setPendingTotp(
  db: Q,
  p: { type: PrincipalType; id: string; sealed: string; sessionId: string; now: Date },
): Promise<void> {
  await db
    .updateTable(table(p.type))
    .set({ totp_pending_secret: p.sealed, totp_pending_session_id: p.sessionId, totp_pending_at: p.now })
    .where('id', '=', p.id)
    .execute();
}

/** The waiting authenticator, only to the session that started it and only if started after `since`. */
export async function pendingTotp(
  db: Q,
  p: { type: PrincipalType; id: string; sessionId: string; since: Date },
): Promise<string | null> {
  const r = await db
    .selectFrom(table(p.type))
    .select('totp_pending_secret')
    .where('id', '=', p.id)
    .where('totp_pending_session_id', '=', p.sessionId)
    .where('totp_pending_at', '>', p.since)
    .executeTakeFirst();
  return r?.totp_pending_secret ?? null;
}

/**
 * The waiting authenticator replaces the old one, if it is still the one a code was checked
 * against; the step of that code is taken, so it cannot sign in again.
 */
export async function activatePendingTotp(
  db: Q,
  p: { type: PrincipalType; id: string; sealed: string; step: number; now: Date },
): Promise<boolean> {
  const r =
    p.type === 'staff'
      ? await sql`update staff_users set totp_secret = totp_pending_secret, totp_pending_secret = null,
            totp_pending_session_id = null, totp_pending_at = null,
            totp_last_step = ${p.step}, totp_confirmed_at = ${p.now}, code_failed_attempts = 0
          where id = ${p.id} and totp_pending_secret = ${p.sealed}`.execute(db)
      : await sql`update online_accounts set totp_secret = totp_pending_secret, totp_pending_secret = null,
            totp_pending_session_id = null, totp_pending_at = null,
            totp_last_step = ${p.step}, totp_confirmed_at = ${p.now}, code_failed_attempts = 0
          where id = ${p.id} and totp_pending_secret = ${p.sealed}`.execute(db);
  return (r.numAffectedRows ?? 0n) > 0n;
}

/** Forgets a new authenticator waiting for its first code (the one in use stays). */
export async function clearPendingTotp(db: Q, type: PrincipalType, id: string): Promise<void> {
  await db
    .updateTable(table(type))
    .set({ totp_pending_secret: null, totp_pending_session_id: null, totp_pending_at: null })
    .where('id', '=', id)
    .execute();
}
