// SQL for practices (ODS organisations).
import type { Db, Tx } from '../platform/db/index.ts';
import type { PracticeRecord } from './rules.ts';

function toRow(p: PracticeRecord, now: Date) {
  return {
    ods_code: p.odsCode,
    name: p.name,
    address_lines: p.addressLines,
    postcode: p.postcode,
    commissioner_code: p.commissionerCode,
    status: p.status,
    prescribing_setting: p.prescribingSetting,
    open_date: p.openDate,
    close_date: p.closeDate,
    phone: p.phone,
    updated_at: now,
  };
}

/** Inserts or updates one batch by ODS code; returns how many were new. */
export async function upsertPractices(tx: Tx, batch: PracticeRecord[], now: Date): Promise<number> {
  const found = await tx
    .selectFrom('practices')
    .select('ods_code')
    .where(
      'ods_code',
      'in',
      batch.map((p) => p.odsCode),
    )
    .execute();
  await tx
    .insertInto('practices')
    .values(batch.map((p) => toRow(p, now)))
    .onConflict((oc) =>
      oc.column('ods_code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        address_lines: eb.ref('excluded.address_lines'),
        postcode: eb.ref('excluded.postcode'),
        commissioner_code: eb.ref('excluded.commissioner_code'),
        status: eb.ref('excluded.status'),
        prescribing_setting: eb.ref('excluded.prescribing_setting'),
        open_date: eb.ref('excluded.open_date'),
        close_date: eb.ref('excluded.close_date'),
        phone: eb.ref('excluded.phone'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  return batch.length - found.length;
}

/** Practices by ODS code or a part of the name, with the total held. */
export async function findPractices(db: Db, options: { q: string | undefined; limit: number }) {
  let q = db.selectFrom('practices').select(['ods_code', 'name', 'postcode', 'commissioner_code', 'status']);
  const term = options.q;
  if (term) {
    q = q.where((eb) =>
      eb.or([
        eb('ods_code', '=', term.toUpperCase()),
        eb(eb.fn('lower', ['name']), 'like', `%${term.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`),
      ]),
    );
  }
  const count = await db
    .selectFrom('practices')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q.orderBy('name').limit(options.limit).execute();
  return { total: Number(count.n), rows };
}
