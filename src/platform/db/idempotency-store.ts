// SQL of Idempotency-Keys: a retried booking or order finds the first request's answer.
import type { Db, Tx } from './index.ts';

/**
 * Claims an Idempotency-Key for this account. A second request with the key waits here until the
 * first commits (primary-key insert), then finds its stored answer; if the first rolled back, the
 * second proceeds as new. Returns the stored answer, or null when this request owns the key.
 */
export async function claimIdempotencyKey(
  tx: Tx,
  k: { accountId: string; key: string; practiceOds: string; requestHash: string; now: Date },
): Promise<{ requestHash: string; statusCode: number; response: unknown } | null> {
  const inserted = await tx
    .insertInto('idempotency_keys')
    .values({
      account_id: k.accountId,
      key: k.key,
      practice_ods: k.practiceOds,
      request_hash: k.requestHash,
      status_code: 0,
      response: 'null',
      created_at: k.now,
    })
    .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return null;
  const r = await tx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response'])
    .where('account_id', '=', k.accountId)
    .where('key', '=', k.key)
    .executeTakeFirstOrThrow();
  return { requestHash: r.request_hash, statusCode: r.status_code, response: r.response };
}

export async function storeIdempotentResponse(
  tx: Tx,
  r: { accountId: string; key: string; statusCode: number; response: unknown },
): Promise<void> {
  const { accountId, key, statusCode, response } = r;
  await tx
    .updateTable('idempotency_keys')
    .set({ status_code: statusCode, response: JSON.stringify(response) })
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .execute();
}

export async function forgetIdempotencyKeys(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}
