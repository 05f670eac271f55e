// SQL for sessions and API tokens: rows in and out, the session joined to its account in one query.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { PrincipalType, ProofingLevel, SessionStage, StaffRole } from '../db/schema.ts';

/** A session (or API token) with the account or staff user it belongs to, when that is live. */
export type PrincipalRow = {
  principal_type: PrincipalType;
  principal_id: string;
  stage: SessionStage | null;
  data: Record<string, unknown> | null;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date | null;
  a_email: string | null;
  a_patient_id: string | null;
  a_practice_ods: string | null;
  a_proofing: ProofingLevel | null;
  a_name: string | null;
  s_email: string | null;
  s_name: string | null;
  s_role: StaffRole | null;
  s_practice_ods: string | null;
  s_commissioner: string | null;
};

const ACCOUNT_COLUMNS = sql`
  a.email as a_email, a.patient_id as a_patient_id, a.practice_ods as a_practice_ods, a.proofing_level as a_proofing,
  p.given_name || ' ' || p.family_name as a_name,
  u.email as s_email, u.name as s_name, u.role as s_role, u.practice_ods as s_practice_ods, u.commissioner_code as s_commissioner`;
const ACCOUNT_JOINS = sql`
  left join online_accounts a on t.principal_type = 'patient' and a.id = t.principal_id and a.disabled_at is null
  left join patients p on p.id = a.patient_id
  left join staff_users u on t.principal_type = 'staff' and u.id = t.principal_id and u.active`;

export async function sessionWithPrincipal(db: Db, id: string): Promise<PrincipalRow | undefined> {
  const r =
    await sql<PrincipalRow>`select t.principal_type, t.principal_id, t.stage, t.data, t.created_at, t.expires_at, t.last_seen_at, ${ACCOUNT_COLUMNS}
    from sessions t ${ACCOUNT_JOINS} where t.id = ${id}`.execute(db);
  return r.rows[0];
}

export async function tokenWithPrincipal(db: Db, id: string): Promise<PrincipalRow | undefined> {
  const r =
    await sql<PrincipalRow>`select t.principal_type, t.principal_id, null as stage, null as data, t.created_at, t.expires_at, null as last_seen_at, ${ACCOUNT_COLUMNS}
    from api_tokens t ${ACCOUNT_JOINS} where t.id = ${id}`.execute(db);
  return r.rows[0];
}

export async function touchSession(db: Db, id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

export type SessionRow = {
  id: string;
  principal_type: PrincipalType;
  principal_id: string;
  stage: SessionStage;
  data: Record<string, unknown>;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
};

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ ...row, data: JSON.stringify(row.data) })
    .execute();
}

export async function deleteSessionById(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Deletes the session; whether it was still there (ended by nobody else meanwhile). */
export async function takeSessionById(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).returning('id').executeTakeFirst();
  return r !== undefined;
}

/** Every session and API token of a principal; how many sessions there were. */
export async function deleteAllOf(
  db: Db,
  principalType: PrincipalType,
  principalId: string,
): Promise<number> {
  const s = await db
    .deleteFrom('sessions')
    .where('principal_type', '=', principalType)
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
  await db
    .deleteFrom('api_tokens')
    .where('principal_type', '=', principalType)
    .where('principal_id', '=', principalId)
    .execute();
  return Number(s.numDeletedRows);
}

/** Every other session and every API token of a principal (this session stays); how many sessions ended. */
export async function deleteAllOfExcept(
  db: Db,
  p: { principalType: PrincipalType; principalId: string; keepSessionId: string },
): Promise<number> {
  const s = await db
    .deleteFrom('sessions')
    .where('principal_type', '=', p.principalType)
    .where('principal_id', '=', p.principalId)
    .where('id', '<>', p.keepSessionId)
    .executeTakeFirst();
  await db
    .deleteFrom('api_tokens')
    .where('principal_type', '=', p.principalType)
    .where('principal_id', '=', p.principalId)
    .execute();
  return Number(s.numDeletedRows);
}

/** Signed-in sessions of a principal that still work (sessions part-way through signing in are not counted). */
export async function countLiveSessions(
  db: Db,
  principalType: PrincipalType,
  principalId: string,
  now: Date,
): Promise<number> {
  const r = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('principal_type', '=', principalType)
    .where('principal_id', '=', principalId)
    .where('stage', '=', 'full')
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertApiToken(
  db: Db,
  t: { id: string; principalType: PrincipalType; principalId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: t.id,
      principal_type: t.principalType,
      principal_id: t.principalId,
      created_at: t.createdAt,
      expires_at: t.expiresAt,
    })
    .execute();
}

/** Housekeeping: removes expired sessions, tokens and rate-limit windows. */
export async function purgeExpired(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db.deleteFrom('api_tokens').where('expires_at', '<=', now).execute();
  await db.deleteFrom('rate_limits').where('reset_at', '<=', now).execute();
}
