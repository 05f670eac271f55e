// SQL for patients' online accounts: sign-up and its confirmation links, the authenticator,
// recovery codes, linking to a record, proofing levels and locks.
import type { Insertable } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import type { OnlineAccountsTable, ProofingLevel } from '../platform/db/schema.ts';

type Q = Db | Tx;

export async function accountForPatient(db: Q, patientId: string) {
  return db
    .selectFrom('online_accounts')
    .select([
      'id',
      'email',
      'proofing_level',
      'linked_at',
      'totp_confirmed_at',
      'locked_at',
      'disabled_at',
      'created_at',
    ])
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
}

/** Clears a lock set by wrong security codes; false when the account was not locked. */
export async function unlockAccount(db: Q, accountId: string): Promise<boolean> {
  const r = await db
    .updateTable('online_accounts')
    .set({ locked_at: null, code_failed_attempts: 0 })
    .where('id', '=', accountId)
    .where('locked_at', 'is not', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// --- Sign-up email confirmation ---------------------------------------------------------------

export async function accountByEmail(db: Q, email: string) {
  return db
    .selectFrom('online_accounts')
    .select(['id', 'email', 'email_confirmed_at', 'practice_ods', 'patient_id'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

export async function saveConfirmation(
  db: Q,
  c: { tokenHash: string; accountId: string; expiresAt: Date; passwordHash?: string | null },
): Promise<void> {
  await db
    .insertInto('email_confirmations')
    .values({
      token_hash: c.tokenHash,
      account_id: c.accountId,
      expires_at: c.expiresAt,
      used_at: null,
      password_hash: c.passwordHash ?? null,
    })
    .execute();
}

/** Spends a live confirmation token in one statement; the account it was for, or undefined. */
export async function spendConfirmation(db: Q, tokenHash: string, now: Date) {
  return db
    .updateTable('email_confirmations')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['account_id', 'password_hash'])
    .executeTakeFirst();
}

/** Once one link is spent, the account's other links are dead (one may carry a stranger's password). */
export async function endOtherConfirmations(db: Q, accountId: string, now: Date): Promise<void> {
  await db
    .updateTable('email_confirmations')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .execute();
}

export async function setPasswordHash(db: Q, accountId: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('online_accounts')
    .set({ password_hash: passwordHash })
    .where('id', '=', accountId)
    .execute();
}

export async function liveConfirmation(db: Q, tokenHash: string, now: Date) {
  return db
    .selectFrom('email_confirmations')
    .select('account_id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function confirmEmail(db: Q, accountId: string, now: Date): Promise<void> {
  await db
    .updateTable('online_accounts')
    .set({ email_confirmed_at: now })
    .where('id', '=', accountId)
    .where('email_confirmed_at', 'is', null)
    .execute();
}

/** Accounts locked by wrong security codes that belong to no practice yet (administrators unlock them). */
export async function lockedUnlinkedAccounts(db: Q) {
  return db
    .selectFrom('online_accounts')
    .select(['id', 'email', 'locked_at', 'created_at'])
    .where('locked_at', 'is not', null)
    .where('practice_ods', 'is', null)
    .orderBy('locked_at', 'desc')
    .limit(200)
    .execute();
}

/** A new account from sign-up (P0, waiting for its address to be confirmed), or from the CLI. */
export async function insertAccount(db: Q, row: Insertable<OnlineAccountsTable>): Promise<void> {
  await db.insertInto('online_accounts').values(row).execute();
}

export async function accountEmail(db: Q, accountId: string) {
  return db
    .selectFrom('online_accounts')
    .select(['email', 'email_confirmed_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
}

export async function totpState(db: Q, accountId: string) {
  return db
    .selectFrom('online_accounts')
    .select(['email', 'totp_secret', 'totp_confirmed_at', 'practice_ods'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
}

/** Keeps a new sealed secret on an account whose authenticator is not yet confirmed. */
export async function setUnconfirmedTotpSecret(db: Q, accountId: string, sealed: string): Promise<void> {
  await db
    .updateTable('online_accounts')
    .set({ totp_secret: sealed })
    .where('id', '=', accountId)
    .where('totp_confirmed_at', 'is', null)
    .execute();
}

export async function confirmTotp(db: Q, accountId: string, now: Date): Promise<void> {
  await db
    .updateTable('online_accounts')
    .set({ totp_confirmed_at: now })
    .where('id', '=', accountId)
    .execute();
}

/** The account's recovery codes become these (hashes only; the codes are never stored). */
export async function replaceRecoveryCodes(db: Q, accountId: string, codeHashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
  await db
    .insertInto('recovery_codes')
    .values(codeHashes.map((h) => ({ account_id: accountId, code_hash: h, used_at: null })))
    .execute();
}

export async function linkAccountToPatient(
  db: Q,
  accountId: string,
  link: { patientId: string; practiceOds: string; proofingLevel: ProofingLevel; at: Date },
): Promise<void> {
  await db
    .updateTable('online_accounts')
    .set({
      patient_id: link.patientId,
      practice_ods: link.practiceOds,
      proofing_level: link.proofingLevel,
      linked_at: link.at,
    })
    .where('id', '=', accountId)
    .execute();
}

/** The patient's account, locked for the identity check that may raise its level. */
export async function accountForUpdate(db: Q, patientId: string) {
  return db
    .selectFrom('online_accounts')
    .select(['id', 'proofing_level'])
    .where('patient_id', '=', patientId)
    .forUpdate()
    .executeTakeFirst();
}

export async function setProofingLevel(db: Q, accountId: string, level: ProofingLevel): Promise<void> {
  await db
    .updateTable('online_accounts')
    .set({ proofing_level: level })
    .where('id', '=', accountId)
    .execute();
}

export async function accountPractice(db: Q, accountId: string) {
  return db
    .selectFrom('online_accounts')
    .select(['id', 'practice_ods'])
    .where('id', '=', accountId)
    .executeTakeFirst();
}
