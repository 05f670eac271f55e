// SQL for pharmacies (ODS organisations) and patients' nominated pharmacy with its history.
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/index.ts';
import { postcodeKey, type PharmacyRecord, type SearchTerm } from './rules.ts';

type Q = Db | Tx;

const COLUMNS = [
  'ods_code',
  'name',
  'address_lines',
  'postcode',
  'phone',
  'status',
  'open_date',
  'close_date',
] as const;

export type PharmacyRow = {
  ods_code: string;
  name: string;
  address_lines: string[];
  postcode: string | null;
  phone: string | null;
  status: PharmacyRecord['status'];
  open_date: string | null;
  close_date: string | null;
};

/** Inserts or updates one batch by ODS code; returns how many were new. */
export async function upsertPharmacies(tx: Tx, batch: PharmacyRecord[], now: Date): Promise<number> {
  const found = await tx
    .selectFrom('pharmacies')
    .select('ods_code')
    .where(
      'ods_code',
      'in',
      batch.map((p) => p.odsCode),
    )
    .execute();
  await tx
    .insertInto('pharmacies')
    .values(
      batch.map((p) => ({
        ods_code: p.odsCode,
        name: p.name,
        address_lines: p.addressLines,
        postcode: p.postcode,
        postcode_key: postcodeKey(p.postcode),
        phone: p.phone,
        status: p.status,
        open_date: p.openDate,
        close_date: p.closeDate,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.column('ods_code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        address_lines: eb.ref('excluded.address_lines'),
        postcode: eb.ref('excluded.postcode'),
        postcode_key: eb.ref('excluded.postcode_key'),
        phone: eb.ref('excluded.phone'),
        status: eb.ref('excluded.status'),
        open_date: eb.ref('excluded.open_date'),
        close_date: eb.ref('excluded.close_date'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  return batch.length - found.length;
}

export async function pharmacyByCode(db: Q, odsCode: string): Promise<PharmacyRow | undefined> {
  return db.selectFrom('pharmacies').select(COLUMNS).where('ods_code', '=', odsCode).executeTakeFirst();
}

const like = (s: string) => s.replace(/[%_\\]/g, '\\$&');

/**
 * Open pharmacies matching a search: the ODS code exactly, then the postcode itself, then the
 * postcode district, then names containing every word; at most `limit`, each once.
 */
export async function searchPharmacies(
  db: Db,
  term: Exclude<SearchTerm, { kind: 'empty' } | { kind: 'too-long' }>,
  options: { today: string; limit: number },
): Promise<PharmacyRow[]> {
  const exact = term.kind === 'postcode' ? term.key : null;
  const district = term.kind === 'text' ? null : `${like(term.outward)}%`;
  const rank = sql<number>`case when ods_code = ${term.code} then 0 when postcode_key = ${exact} then 1
    when postcode_key like ${district} then 2 else 3 end`;
  const words = term.name.split(' ').filter((w) => w !== '');
  return db
    .selectFrom('pharmacies')
    .select(COLUMNS)
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('close_date', 'is', null), eb('close_date', '>', options.today)]))
    .where((eb) => {
      const byName = eb.and(words.map((w) => eb(eb.fn('lower', ['name']), 'like', `%${like(w)}%`)));
      const options = [byName];
      if (term.code) options.push(eb('ods_code', '=', term.code));
      if (term.kind !== 'text') {
        options.push(
          eb.and([
            eb('postcode_key', 'like', `${like(term.outward)}%`),
            eb(eb.fn('char_length', ['postcode_key']), '=', term.outward.length + 3),
          ]),
        );
      }
      return eb.or(options);
    })
    .orderBy(rank)
    .orderBy('name')
    .orderBy('ods_code')
    .limit(options.limit)
    .execute();
}

// --- Nominations -------------------------------------------------------------------------------

export type NominationRow = PharmacyRow & { nominated_at: Date; version: number };

/** The patient's nomination at this practice, with the pharmacy. */
export async function nominationOf(
  db: Q,
  who: { practiceOds: string; patientId: string },
): Promise<NominationRow | undefined> {
  return db
    .selectFrom('pharmacy_nominations as n')
    .innerJoin('pharmacies as p', 'p.ods_code', 'n.pharmacy_ods')
    .select(COLUMNS.map((c) => `p.${c}` as const))
    .select(['n.nominated_at', 'n.version'])
    .where('n.practice_ods', '=', who.practiceOds)
    .where('n.patient_id', '=', who.patientId)
    .executeTakeFirst();
}

/** Holds the patient's row until the transaction ends, so two changes to one nomination queue. */
export async function lockPatient(tx: Tx, patientId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('patients')
    .select('id')
    .where('id', '=', patientId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** The current nomination's pharmacy and version (locked patient first: see lockPatient). */
export async function currentNomination(
  tx: Tx,
  patientId: string,
): Promise<{ pharmacy_ods: string; practice_ods: string; version: number } | undefined> {
  return tx
    .selectFrom('pharmacy_nominations')
    .select(['pharmacy_ods', 'practice_ods', 'version'])
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
}

/** Writes the nomination and its history row; returns the new version. */
export async function saveNomination(
  tx: Tx,
  n: {
    practiceOds: string;
    patientId: string;
    pharmacyOds: string;
    previousOds: string | null;
    accountId: string;
    at: Date;
  },
): Promise<number> {
  const row = await tx
    .insertInto('pharmacy_nominations')
    .values({
      patient_id: n.patientId,
      practice_ods: n.practiceOds,
      pharmacy_ods: n.pharmacyOds,
      nominated_at: n.at,
      nominated_by_account: n.accountId,
      nominated_by_staff: null,
    })
    .onConflict((oc) =>
      oc.column('patient_id').doUpdateSet((eb) => ({
        practice_ods: eb.ref('excluded.practice_ods'),
        pharmacy_ods: eb.ref('excluded.pharmacy_ods'),
        nominated_at: eb.ref('excluded.nominated_at'),
        nominated_by_account: eb.ref('excluded.nominated_by_account'),
        nominated_by_staff: null,
        version: sql<number>`pharmacy_nominations.version + 1`,
      })),
    )
    .returning('version')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('pharmacy_nomination_history')
    .values({
      practice_ods: n.practiceOds,
      patient_id: n.patientId,
      pharmacy_ods: n.pharmacyOds,
      previous_ods: n.previousOds,
      changed_at: n.at,
      changed_by_account: n.accountId,
      changed_by_staff: null,
    })
    .execute();
  return row.version;
}

export type HistoryRow = {
  changed_at: Date;
  pharmacy_ods: string | null;
  pharmacy_name: string | null;
  previous_ods: string | null;
  by_patient: boolean;
};

/** The patient's nomination changes at this practice, newest first. */
export async function nominationHistory(
  db: Q,
  who: { practiceOds: string; patientId: string },
  limit: number,
): Promise<HistoryRow[]> {
  const rows = await db
    .selectFrom('pharmacy_nomination_history as h')
    .leftJoin('pharmacies as p', 'p.ods_code', 'h.pharmacy_ods')
    .select([
      'h.changed_at',
      'h.pharmacy_ods',
      'p.name as pharmacy_name',
      'h.previous_ods',
      'h.changed_by_account',
    ])
    .where('h.practice_ods', '=', who.practiceOds)
    .where('h.patient_id', '=', who.patientId)
    .orderBy('h.changed_at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    changed_at: r.changed_at,
    pharmacy_ods: r.pharmacy_ods,
    pharmacy_name: r.pharmacy_name,
    previous_ods: r.previous_ods,
    by_patient: r.changed_by_account !== null,
  }));
}

/** The nominated pharmacy's ODS code and name for a patient at a practice (for the record's export). */
export async function nominatedPharmacyCode(
  db: Q,
  who: { practiceOds: string; patientId: string },
): Promise<{ odsCode: string; name: string } | null> {
  const r = await nominationOf(db, who);
  return r ? { odsCode: r.ods_code, name: r.name } : null;
}
