// SQL for signing in: the principal behind an email address, counted failures, codes spent.
import { sql } from 'kysely';
import type { Db, Tx } from '../db/index.ts';
import type { PrincipalType } from '../db/schema.ts';
import type { Actor } from './actor.ts';

type Q = Db | Tx;

/** Who is signing in: a patient's online account or a staff user, with what the checks need. */
export type Principal = {
  id: string;
  email: string;
  password_hash: string;
  totp_secret: string | null;
  totp_confirmed: boolean;
  email_confirmed: boolean;
  locked_at: Date | null;
  practice_ods: string | null;
  role: string;
};

export type PrincipalKey = { email: string } | { id: string };

const table = (type: PrincipalType) => (type === 'staff' ? 'staff_users' : 'online_accounts');

export async function findPrincipal(
  db: Q,
  type: PrincipalType,
  by: PrincipalKey,
): Promise<Principal | undefined> {
  if (type === 'staff') {
    let q = db
      .selectFrom('staff_users')
      .select([
        'id',
        'email',
        'password_hash',
        'totp_secret',
        'totp_confirmed_at',
        'locked_at',
        'practice_ods',
        'role',
      ])
      .where('active', '=', true);
    q =
      'email' in by
        ? q.where((eb) => eb(eb.fn('lower', ['email']), '=', by.email.trim().toLowerCase()))
        : q.where('id', '=', by.id);
    const r = await q.executeTakeFirst();
    // After an authenticator reset (staff administration) the new one counts once confirmed.
    return r && { ...r, totp_confirmed: r.totp_confirmed_at !== null, email_confirmed: true };
  }
  let q = db
    .selectFrom('online_accounts')
    .select([
      'id',
      'email',
      'password_hash',
      'totp_secret',
      'totp_confirmed_at',
      'email_confirmed_at',
      'locked_at',
      'practice_ods',
    ])
    .where('disabled_at', 'is', null);
  q =
    'email' in by
      ? q.where((eb) => eb(eb.fn('lower', ['email']), '=', by.email.trim().toLowerCase()))
      : q.where('id', '=', by.id);
  const r = await q.executeTakeFirst();
  return (
    r && {
      ...r,
      totp_confirmed: r.totp_confirmed_at !== null,
      email_confirmed: r.email_confirmed_at !== null,
      role: 'patient',
    }
  );
}

/** Whether any account of this kind (disabled or not) has the email address. */
export async function emailIsKnown(db: Q, type: PrincipalType, email: string): Promise<boolean> {
  const r = await db
    .selectFrom(table(type))
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
  return r !== undefined;
}

// --- Counted failures (rate_limits rows) ---------------------------------------------------------

export async function readCount(db: Q, key: string): Promise<{ hits: number; resetAt: Date } | undefined> {
  const r = await db
    .selectFrom('rate_limits')
    .select(['hits', 'reset_at'])
    .where('key', '=', key)
    .executeTakeFirst();
  return r && { hits: r.hits, resetAt: r.reset_at };
}

/**
 * One more failure for a key, in one statement. `slide`: each failure moves the window's end on
 * (failures in a row); otherwise the window is fixed from the first failure.
 */
export async function countFailure(
  db: Q,
  c: { key: string; windowMs: number; slide: boolean; now: Date },
): Promise<void> {
  const reset = new Date(c.now.getTime() + c.windowMs);
  await sql`
    insert into rate_limits (key, hits, reset_at) values (${c.key}, 1, ${reset})
    on conflict (key) do update set
      hits = case when rate_limits.reset_at <= ${c.now} then 1 else rate_limits.hits + 1 end,
      reset_at = case when rate_limits.reset_at <= ${c.now} or ${c.slide} then excluded.reset_at
                      else rate_limits.reset_at end`.execute(db);
}

export async function clearCounts(db: Q, keys: string[]): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', 'in', keys).execute();
}

/** A key and every key under it (`key:…`), for example one address's counts from every network address. */
export async function clearCountsUnder(db: Q, key: string): Promise<void> {
  await db
    .deleteFrom('rate_limits')
    .where((eb) => eb.or([eb('key', '=', key), eb('key', 'like', `${key}:%`)]))
    .execute();
}

// --- Security codes --------------------------------------------------------------------------------

/** A wrong code after the right password, counted in one statement, locking at `lockAt`. */
export async function addCodeFailure(
  db: Q,
  p: { type: PrincipalType; id: string; lockAt: number; now: Date },
): Promise<{ code_failed_attempts: number; locked_at: Date | null } | undefined> {
  const r = await sql<{ code_failed_attempts: number; locked_at: Date | null }>`
    update ${sql.table(table(p.type))}
    set code_failed_attempts = code_failed_attempts + 1,
        locked_at = case when locked_at is null and code_failed_attempts + 1 >= ${p.lockAt}
                         then ${p.now} else locked_at end
    where id = ${p.id}
    returning code_failed_attempts, locked_at`.execute(db);
  return r.rows[0];
}

export async function resetCodeFailures(db: Q, type: PrincipalType, id: string): Promise<void> {
  await db.updateTable(table(type)).set({ code_failed_attempts: 0 }).where('id', '=', id).execute();
}

/**
 * Takes a TOTP time step for the account if it is later than the last one taken: a code works
 * once, even when two requests race with it (one conditional UPDATE).
 */
export async function takeTotpStep(
  db: Q,
  t: { type: PrincipalType; id: string; step: number },
): Promise<boolean> {
  const r = await sql`
    update ${sql.table(table(t.type))} set totp_last_step = ${t.step}
    where id = ${t.id} and (totp_last_step is null or totp_last_step < ${t.step})`.execute(db);
  return (r.numAffectedRows ?? 0n) > 0n;
}

/** Replaces a stored TOTP secret with its sealed form, if it is still the one read. */
export async function resealTotpSecret(
  db: Q,
  s: { type: PrincipalType; id: string; stored: string; sealed: string },
): Promise<void> {
  await sql`update ${sql.table(table(s.type))} set totp_secret = ${s.sealed}
    where id = ${s.id} and totp_secret = ${s.stored}`.execute(db);
}

/** One sealed TOTP secret of this kind, to try a key on. */
export async function aSealedTotpSecret(db: Q, type: PrincipalType): Promise<string | null> {
  const row = await db
    .selectFrom(table(type))
    .select('totp_secret')
    .where('totp_secret', 'like', 'v1:%')
    .limit(1)
    .executeTakeFirst();
  return row?.totp_secret ?? null;
}

export async function legacyTotpSecrets(
  db: Q,
  type: PrincipalType,
): Promise<{ id: string; totp_secret: string }[]> {
  const rows = await db
    .selectFrom(table(type))
    .select(['id', 'totp_secret'])
    .where('totp_secret', 'is not', null)
    .where('totp_secret', 'not like', 'v1:%')
    .execute();
  return rows.flatMap((r) => (r.totp_secret === null ? [] : [{ id: r.id, totp_secret: r.totp_secret }]));
}

/** Spends an unused recovery code of a patient account; false when there is none with this hash. */
export async function spendRecoveryCode(
  db: Q,
  c: { accountId: string; codeHash: string; now: Date },
): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: c.now })
    .where('account_id', '=', c.accountId)
    .where('code_hash', '=', c.codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Unlocks an account locked by wrong security codes (the caller checks who may, and audits). */
export async function unlockPrincipal(db: Q, type: PrincipalType, id: string): Promise<boolean> {
  const r = await db
    .updateTable(table(type))
    .set({ locked_at: null, code_failed_attempts: 0 })
    .where('id', '=', id)
    .where('locked_at', 'is not', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** The full actor for a signed-in principal, or null if the account is gone or disabled. */
export async function loadActor(db: Q, type: PrincipalType, id: string): Promise<Actor | null> {
  if (type === 'staff') {
    const s = await db
      .selectFrom('staff_users')
      .select(['id', 'email', 'name', 'role', 'practice_ods', 'commissioner_code'])
      .where('id', '=', id)
      .where('active', '=', true)
      .executeTakeFirst();
    return s
      ? {
          kind: 'staff',
          staffId: s.id,
          email: s.email,
          name: s.name,
          role: s.role,
          practiceOds: s.practice_ods,
          commissionerCode: s.commissioner_code,
        }
      : null;
  }
  const a = await db
    .selectFrom('online_accounts as a')
    .leftJoin('patients as p', 'p.id', 'a.patient_id')
    .select([
      'a.id',
      'a.email',
      'a.patient_id',
      'a.practice_ods',
      'a.proofing_level',
      'p.given_name',
      'p.family_name',
    ])
    .where('a.id', '=', id)
    .where('a.disabled_at', 'is', null)
    .executeTakeFirst();
  return a
    ? {
        kind: 'patient',
        accountId: a.id,
        email: a.email,
        patientId: a.patient_id,
        practiceOds: a.practice_ods,
        proofingLevel: a.proofing_level,
        displayName: a.given_name && a.family_name ? `${a.given_name} ${a.family_name}` : null,
      }
    : null;
}
