// Append-only, hash-chained audit stream. Each row stores the hash of the row before it in its
// chain, so an edited or deleted row breaks the chain. A practice's events are spread over
// AUDIT_SHARDS chains ('P81082/0' … 'P81082/15'; '-/n' for events outside a practice): appending
// locks the chain's head row until the transaction ends, and one chain per practice would make
// every audited request of a practice wait in one queue.
import { createHash, randomInt } from 'node:crypto';
import type { Db, Tx } from '../db/index.ts';
import type { AuditEventsTable } from '../db/schema.ts';
import * as store from './store.ts';

export const GENESIS = '0'.repeat(64);
const GLOBAL_CHAIN = '-';
export const AUDIT_SHARDS = 16;

/** One shard per transaction: a transaction never holds two head locks, so appends cannot deadlock. */
const shardOf = new WeakMap<object, number>();
function shardFor(tx: Tx): number {
  let shard = shardOf.get(tx);
  if (shard === undefined) {
    shard = randomInt(AUDIT_SHARDS);
    shardOf.set(tx, shard);
  }
  return shard;
}

export type AuditActor = {
  type: 'patient' | 'staff' | 'system' | 'anonymous';
  id: string | null;
  role: string | null;
};
export type RequestMeta = { ip: string | null; userAgent: string | null };

export type AuditEntry = {
  actor: AuditActor;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  subject?: string | null;
  patientId?: string | null;
  onBehalfOf?: string | null;
  practiceOds?: string | null;
  details?: Record<string, unknown>;
  request?: RequestMeta | null;
};

type Row = Omit<AuditEventsTable, 'seq' | 'at' | 'details'> & {
  seq: string;
  at: Date;
  details: Record<string, unknown>;
};

/** JSON with object keys sorted at every depth: jsonb does not keep key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
  }
  return JSON.stringify(value ?? null);
}

/** The hash of an event's content: everything but its place in the chain. */
export function contentHash(row: Omit<Row, 'hash' | 'seq' | 'prev_hash'>): string {
  const material = canonicalJson([
    row.chain,
    row.at.toISOString(),
    row.actor_type,
    row.actor_id,
    row.actor_role,
    row.on_behalf_of,
    row.patient_id,
    row.practice_ods,
    row.action,
    row.subject,
    row.outcome,
    row.ip,
    row.user_agent,
    row.details,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/** The chain hash: sha256(previous hash : sequence : content hash), as the database's audit_append() computes it. */
export function chainHash(prevHash: string, seq: string, content: string): string {
  return createHash('sha256').update(`${prevHash}:${seq}:${content}`).digest('hex');
}

export function hashRow(row: Omit<Row, 'hash'>): string {
  return chainHash(row.prev_hash, row.seq, contentHash(row));
}

/**
 * Appends one event inside the caller's transaction, so nothing changes without its audit row.
 * The chain head row is locked until the transaction ends.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry, now: Date): Promise<void> {
  await append(tx, `${entry.practiceOds ?? GLOBAL_CHAIN}/${String(shardFor(tx))}`, entry, now);
}

/** Records an event on its own (sign-in failures, reads): one atomic statement, no transaction needed. */
export async function recordAuditAlone(db: Db, entry: AuditEntry, now: Date): Promise<void> {
  await append(db, `${entry.practiceOds ?? GLOBAL_CHAIN}/${String(randomInt(AUDIT_SHARDS))}`, entry, now);
}

async function append(q: Db | Tx, chain: string, entry: AuditEntry, now: Date): Promise<void> {
  const row = {
    chain,
    at: now,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    actor_role: entry.actor.role,
    on_behalf_of: entry.onBehalfOf ?? null,
    patient_id: entry.patientId ?? null,
    practice_ods: entry.practiceOds ?? null,
    action: entry.action,
    subject: entry.subject ?? null,
    outcome: entry.outcome,
    ip: entry.request?.ip ?? null,
    user_agent: entry.request?.userAgent?.slice(0, 400) ?? null,
    details: entry.details ?? {},
  };
  await store.append(q, row, contentHash(row));
}

export type VerifyProblem = { chain: string; seq: string; problem: string };
export type VerifyResult = { ok: boolean; chains: number; events: number; problems: VerifyProblem[] };

/** Walks every chain in order and recomputes each hash; reports edits, deletions and forks. */
export async function verifyAudit(db: Db, options: { batch?: number } = {}): Promise<VerifyResult> {
  const batch = options.batch ?? 5000;
  const heads = await store.chainHeads(db);
  const problems: VerifyProblem[] = [];
  let events = 0;
  for (const head of heads) {
    let prevHash = GENESIS;
    let expectedSeq = 1n;
    let lastSeq = 0n;
    for (;;) {
      const rows = await store.eventsFrom(db, head.chain, expectedSeq, batch);
      for (const r of rows) {
        const seq = BigInt(r.seq);
        if (seq !== expectedSeq) {
          problems.push({
            chain: head.chain,
            seq: String(expectedSeq),
            problem: `rows ${String(expectedSeq)} to ${String(seq - 1n)} are missing`,
          });
        }
        if (r.prev_hash !== prevHash) {
          problems.push({
            chain: head.chain,
            seq: r.seq,
            problem: 'previous-hash link is broken (a row before it was changed or removed)',
          });
        }
        const recomputed = hashRow({ ...r, seq: r.seq, at: new Date(r.at), details: r.details });
        if (recomputed !== r.hash)
          problems.push({
            chain: head.chain,
            seq: r.seq,
            problem: 'row content does not match its hash (row was edited)',
          });
        prevHash = r.hash;
        expectedSeq = seq + 1n;
        lastSeq = seq;
        events++;
      }
      if (rows.length < batch) break;
    }
    if (String(lastSeq) !== head.seq || prevHash !== head.hash) {
      problems.push({
        chain: head.chain,
        seq: head.seq,
        problem: `chain ends at ${String(lastSeq)} but its head says ${head.seq} (rows removed from the end)`,
      });
    }
  }
  return { ok: problems.length === 0, chains: heads.length, events, problems };
}
