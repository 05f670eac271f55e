// Who is asking, in one query per request: the session (or API token) joined to its account.
import type { Db } from '../db/index.ts';
import type { Actor } from './actor.ts';
import { sha256 } from './secrets.ts';
import { cachedSession, keepSession } from './session-cache.ts';
import { expiry, type Session } from './sessions.ts';
import {
  sessionWithPrincipal,
  tokenWithPrincipal,
  deleteSessionById,
  touchSession,
  type PrincipalRow,
} from './session-store.ts';

/** Extending a session's idle expiry writes to the database: at most once a minute. */
const TOUCH_AFTER_MS = 60_000;

function actorOf(r: PrincipalRow): Actor | null {
  if (r.principal_type === 'patient' && r.a_email && r.a_proofing) {
    return {
      kind: 'patient',
      accountId: r.principal_id,
      email: r.a_email,
      patientId: r.a_patient_id,
      practiceOds: r.a_practice_ods,
      proofingLevel: r.a_proofing,
      displayName: r.a_name,
    };
  }
  if (r.principal_type === 'staff' && r.s_email && r.s_name && r.s_role) {
    return {
      kind: 'staff',
      staffId: r.principal_id,
      email: r.s_email,
      name: r.s_name,
      role: r.s_role,
      practiceOds: r.s_practice_ods,
      commissionerCode: r.s_commissioner,
    };
  }
  return null;
}

/** The session of a cookie token and, when it is fully signed in, its actor. Expired sessions are removed. */
export async function sessionAndActor(
  db: Db,
  token: string,
  now: Date,
): Promise<{ session: Session | null; actor: Actor | null }> {
  const id = sha256(token);
  const r = cachedSession(db, id) ?? (await sessionWithPrincipal(db, id));
  if (!r) return { session: null, actor: null };
  keepSession(db, id, r);
  if (r.expires_at.getTime() <= now.getTime()) {
    await deleteSessionById(db, id);
    return { session: null, actor: null };
  }
  let { expires_at, last_seen_at } = r;
  if (!last_seen_at || now.getTime() - last_seen_at.getTime() > TOUCH_AFTER_MS) {
    expires_at = expiry(r.created_at, now);
    last_seen_at = now;
    await touchSession(db, id, now, expires_at);
    // The kept row is extended too, or the next lookup would judge by the old expiry.
    r.expires_at = expires_at;
    r.last_seen_at = last_seen_at;
  }
  const session: Session = {
    id,
    token,
    principal_type: r.principal_type,
    principal_id: r.principal_id,
    stage: r.stage ?? 'password',
    data: r.data ?? {},
    created_at: r.created_at,
    expires_at,
    last_seen_at,
  };
  const actor = session.stage === 'full' ? actorOf(r) : null;
  // A fully signed-in session whose account is gone or disabled is no session at all.
  if (session.stage === 'full' && !actor) return { session: null, actor: null };
  return { session, actor };
}

/** The actor of a bearer token, or null when it is unknown, expired or its account is disabled. */
export async function tokenActor(db: Db, token: string, now: Date): Promise<Actor | null> {
  const r = await tokenWithPrincipal(db, sha256(token));
  if (!r || r.expires_at.getTime() <= now.getTime()) return null;
  return actorOf(r);
}
