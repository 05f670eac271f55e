// SQL of the audit stream: appends go through the database's audit_append(), which links the row
// to its chain's head under a row lock; reads walk a chain in order.
import { sql } from 'kysely';
import type { Db, Tx } from '../db/index.ts';
import type { AuditEventsTable } from '../db/schema.ts';

export type NewEvent = Omit<AuditEventsTable, 'seq' | 'hash' | 'prev_hash' | 'at' | 'details'> & {
  at: Date;
  details: Record<string, unknown>;
};

export async function append(q: Db | Tx, row: NewEvent, contentHash: string): Promise<void> {
  await sql`select audit_append(${row.chain}, ${row.at}, ${row.actor_type}, ${row.actor_id}, ${row.actor_role}, ${row.on_behalf_of}::uuid, ${row.patient_id}::uuid, ${row.practice_ods}, ${row.action}, ${row.subject}, ${row.outcome}, ${row.ip}, ${row.user_agent}, ${JSON.stringify(row.details)}::jsonb, ${contentHash})`.execute(
    q,
  );
}

export function chainHeads(db: Db) {
  return db.selectFrom('audit_chain_heads').selectAll().orderBy('chain').execute();
}

/** Up to `limit` events of one chain from sequence number `fromSeq` on, in order. */
export function eventsFrom(db: Db, chain: string, fromSeq: bigint, limit: number) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('chain', '=', chain)
    .where(sql<boolean>`seq >= ${String(fromSeq)}::bigint`)
    .orderBy('seq')
    .limit(limit)
    .execute();
}
