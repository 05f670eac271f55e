// Server-side sessions and API tokens, kept in the database so any process can serve any request.
// The browser holds a random token; the database holds only its SHA-256.
import type { Db } from '../db/index.ts';
import type { PrincipalType, SessionStage, SessionsTable } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { randomToken, sha256 } from './secrets.ts';
import type { Selectable } from 'kysely';
import { forgetSessionLookups } from './session-cache.ts';
import * as store from './session-store.ts';

export { purgeExpired } from './session-store.ts';

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

/** When a session seen now stops working: after idling, and never past its maximum age. */
export function expiry(created: Date, now: Date): Date {
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
  await store.insertSession(db, row);
  return { ...row, token };
}

/**
 * Moves a session to its next stage under a new token, so a token seen before sign-in is useless
 * after. A session ended meanwhile (sign-out of other devices, a reset, a lock) is not brought
 * back: the request has to sign in again.
 */
export async function advanceSession(
  db: Db,
  old: Session,
  next: { stage: SessionStage; now: Date; data?: Record<string, unknown> },
): Promise<Session> {
  forgetSessionLookups();
  if (!(await store.takeSessionById(db, old.id)))
    throw new AppError('unauthenticated', 'Sign in again to continue.', { reason: 'session-ended' });
  return createSession(
    db,
    {
      principalType: old.principal_type,
      principalId: old.principal_id,
      stage: next.stage,
      data: next.data ?? old.data,
    },
    next.now,
  );
}

export async function deleteSession(db: Db, session: Session): Promise<void> {
  forgetSessionLookups();
  await store.deleteSessionById(db, session.id);
}

/** Sign out everywhere: every session and API token of the principal stops working at once. */
export async function deleteAllFor(
  db: Db,
  principalType: PrincipalType,
  principalId: string,
): Promise<number> {
  forgetSessionLookups();
  return store.deleteAllOf(db, principalType, principalId);
}

/** Sign out of other devices: every other session and every API token ends; this session stays. */
export async function deleteAllExcept(db: Db, keep: Session): Promise<number> {
  forgetSessionLookups();
  return store.deleteAllOfExcept(db, {
    principalType: keep.principal_type,
    principalId: keep.principal_id,
    keepSessionId: keep.id,
  });
}

/** How many signed-in sessions of the principal are working now. */
export async function liveSessionCount(
  db: Db,
  principalType: PrincipalType,
  principalId: string,
  now: Date,
): Promise<number> {
  return store.countLiveSessions(db, principalType, principalId, now);
}

export async function issueApiToken(
  db: Db,
  principalType: PrincipalType,
  principalId: string,
  now: Date,
): Promise<{ token: string; expiresIn: number }> {
  const token = randomToken();
  await store.insertApiToken(db, {
    id: sha256(token),
    principalType,
    principalId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + TOKEN_SECONDS * 1000),
  });
  return { token, expiresIn: TOKEN_SECONDS };
}
