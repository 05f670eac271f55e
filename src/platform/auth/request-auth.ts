// Who is asking, in one query per request: the session (or API token) joined to its account.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { ProofingLevel, SessionStage, StaffRole } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import { sha256 } from './secrets.ts';
import { SESSION_IDLE_MINUTES, SESSION_MAX_HOURS, type Session } from './sessions.ts';

/** Extending a session's idle expiry writes to the database: at most once a minute. */
const TOUCH_AFTER_MS = 60_000;

type Row = {
  principal_type: 'patient' | 'staff';
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
  s_email: string | null;
  s_name: string | null;
  s_role: StaffRole | null;
  s_practice_ods: string | null;
  s_commissioner: string | null;
};

function actorOf(r: Row): Actor | null {
  if (r.principal_type === 'patient' && r.a_email && r.a_proofing) {
    return {
      kind: 'patient',
      accountId: r.principal_id,
      email: r.a_email,
      patientId: r.a_patient_id,
      practiceOds: r.a_practice_ods,
      proofingLevel: r.a_proofing,
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

const ACCOUNT_COLUMNS = sql`
  a.email as a_email, a.patient_id as a_patient_id, a.practice_ods as a_practice_ods, a.proofing_level as a_proofing,
  u.email as s_email, u.name as s_name, u.role as s_role, u.practice_ods as s_practice_ods, u.commissioner_code as s_commissioner`;
const ACCOUNT_JOINS = sql`
  left join online_accounts a on t.principal_type = 'patient' and a.id = t.principal_id and a.disabled_at is null
  left join staff_users u on t.principal_type = 'staff' and u.id = t.principal_id and u.active`;

/** The session of a cookie token and, when it is fully signed in, its actor. Expired sessions are removed. */
export async function sessionAndActor(
  db: Db,
  token: string,
  now: Date,
): Promise<{ session: Session | null; actor: Actor | null }> {
  const id = sha256(token);
  const r = (
    await sql<Row>`select t.principal_type, t.principal_id, t.stage, t.data, t.created_at, t.expires_at, t.last_seen_at, ${ACCOUNT_COLUMNS}
    from sessions t ${ACCOUNT_JOINS} where t.id = ${id}`.execute(db)
  ).rows[0];
  if (!r) return { session: null, actor: null };
  if (r.expires_at.getTime() <= now.getTime()) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return { session: null, actor: null };
  }
  let { expires_at, last_seen_at } = r;
  if (!last_seen_at || now.getTime() - last_seen_at.getTime() > TOUCH_AFTER_MS) {
    expires_at = new Date(
      Math.min(
        now.getTime() + SESSION_IDLE_MINUTES * 60_000,
        r.created_at.getTime() + SESSION_MAX_HOURS * 3_600_000,
      ),
    );
    last_seen_at = now;
    await db.updateTable('sessions').set({ last_seen_at: now, expires_at }).where('id', '=', id).execute();
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
  const r = (
    await sql<Row>`select t.principal_type, t.principal_id, null as stage, null as data, t.created_at, t.expires_at, null as last_seen_at, ${ACCOUNT_COLUMNS}
    from api_tokens t ${ACCOUNT_JOINS} where t.id = ${sha256(token)}`.execute(db)
  ).rows[0];
  if (!r || r.expires_at.getTime() <= now.getTime()) return null;
  return actorOf(r);
}
