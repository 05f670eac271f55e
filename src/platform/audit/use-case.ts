// The one way a use case writes its audit row: who (an Actor, the system, or nobody yet), what,
// and the request and time from the context, so no feature spells the row out by hand.
import type { Actor } from '../auth/actor.ts';
import { auditActor } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { recordAudit, recordAuditAlone, type AuditActor, type AuditEntry } from './audit.ts';

/** Who did it: a signed-in actor, an audit actor (the system, or a patient not yet signed in), or nobody. */
export type Who = Actor | AuditActor | null;

export type AuditEvent = {
  action: string;
  /** Default `success`. */
  outcome?: AuditEntry['outcome'];
  subject?: string | null;
  patientId?: string | null;
  onBehalfOf?: string | null;
  /** Default: the actor's own practice. */
  practiceOds?: string | null;
  details?: Record<string, unknown>;
};

function entryOf(ctx: Ctx, who: Who, event: AuditEvent): AuditEntry {
  const actor = who === null || 'kind' in who ? auditActor(who) : who;
  const ownPractice = who !== null && 'kind' in who ? who.practiceOds : null;
  return {
    actor,
    action: event.action,
    outcome: event.outcome ?? 'success',
    subject: event.subject ?? null,
    patientId: event.patientId ?? null,
    onBehalfOf: event.onBehalfOf ?? null,
    practiceOds: event.practiceOds === undefined ? ownPractice : event.practiceOds,
    details: event.details,
    request: ctx.meta,
  };
}

/** One audit row in the use case's own transaction: the change and its audit commit together. */
export async function audit(tx: Tx, ctx: Ctx, who: Who, event: AuditEvent): Promise<void> {
  await recordAudit(tx, entryOf(ctx, who, event), ctx.clock.now());
}

/** One audit row on its own: for reads and refusals, where there is no change to commit with. */
export async function auditAlone(ctx: Ctx, who: Who, event: AuditEvent): Promise<void> {
  await recordAuditAlone(ctx.db, entryOf(ctx, who, event), ctx.clock.now());
}

/** A change and its audit row in one transaction; `event` may depend on what the change returned. */
export async function auditedChange<T>(
  ctx: Ctx,
  who: Who,
  event: AuditEvent | ((result: T) => AuditEvent),
  change: (tx: Tx) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction().execute(async (tx) => {
    const result = await change(tx);
    await audit(tx, ctx, who, typeof event === 'function' ? event(result) : event);
    return result;
  });
}
