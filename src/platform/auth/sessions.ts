// Server-side sessions and API tokens, kept in the database so any process can serve any request.
// The browser holds a random token; the database holds only its SHA-256.
import type { Db } from '../db/index.ts';
import type { PrincipalType, SessionStage, SessionsTable } from '../db/schema.ts';
import { randomToken, sha256 } from './secrets.ts';
import type { Selectable } from 'kysely';

export const SESSION_IDLE_MINUTES = 30;
export const SESSION_MAX_HOURS = 12;
export const TOKEN_SECONDS = 3600;

export type Session = Selectable<SessionsTable> & { token: string };

export type NewSession = {
  principalType: PrincipalType;
  principalId: string;
  stage: SessionStage;
  data?: Record<string, unknown>;
};

function expiry(created: Date, now: Date): Date {
  const idle = now.getTime() + SESSION_IDLE_MINUTES * 60_000;
  const max = created.getTime() + SESSION_MAX_HOURS * 3_600_000;
  return new Date(Math.min(idle, max));
}

export async function createSession(db: Db, s: NewSession, now: Date): Promise<Session> {
  const token = randomToken();
  const row = {
    id: sha256(token),
    principal_type: s.principalType,
    principal_id: s.principalId,
    stage: s.stage,
    data: s.data ?? {},
    created_at: now,
    expires_at: expiry(now, now),
    last_seen_at: now,
  };
  await db
    .insertInto('sessions')
    .values({ ...row, data: JSON.stringify(row.data) })
    .execute();
  return { ...row, token };
}

/** Moves a session to its next stage under a new token, so a token seen before sign-in is useless after. */
export async function advanceSession(
  db: Db,
  old: Session,
  stage: SessionStage,
  now: Date,
  data?: Record<string, unknown>,
): Promise<Session> {
  await db.deleteFrom('sessions').where('id', '=', old.id).execute();
  return createSession(
    db,
    { principalType: old.principal_type, principalId: old.principal_id, stage, data: data ?? old.data },
    now,
  );
}

export async function deleteSession(db: Db, session: Session): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', session.id).execute();
}

/** Sign out everywhere: every session and API token of the principal stops working at once. */
export async function deleteAllFor(
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

export async function issueApiToken(
  db: Db,
  principalType: PrincipalType,
  principalId: string,
  now: Date,
): Promise<{ token: string; expiresIn: number }> {
  const token = randomToken();
  await db
    .insertInto('api_tokens')
    .values({
      id: sha256(token),
      principal_type: principalType,
      principal_id: principalId,
      created_at: now,
      expires_at: new Date(now.getTime() + TOKEN_SECONDS * 1000),
    })
    .execute();
  return { token, expiresIn: TOKEN_SECONDS };
}

/** Housekeeping: removes expired sessions, tokens and rate-limit windows. */
export async function purgeExpired(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db.deleteFrom('api_tokens').where('expires_at', '<=', now).execute();
  await db.deleteFrom('rate_limits').where('reset_at', '<=', now).execute();
}
