// SQL of the practice's prescription queue: one page of items (on the queue and prescriber
// indexes of migration 014), one item locked for a decision, the conditional moves that make two
// prescribers approving at once one approval, the issue and the issues made on the template.
import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { ItemStatus } from '../../platform/db/schema.ts';

type Q = Db | Tx;

export type QueueFilter = {
  practiceOds: string;
  status: ItemStatus;
  /** A prescriber's staff id, 'none' for items with no prescriber, or undefined for all. */
  prescriber?: string | undefined;
};

function filtered(q: Q, f: QueueFilter) {
  let query = q
    .selectFrom('prescription_request_items as i')
    .where('i.practice_ods', '=', f.practiceOds)
    .where('i.status', '=', f.status);
  if (f.prescriber === 'none') query = query.where('i.prescriber_id', 'is', null);
  else if (f.prescriber) query = query.where('i.prescriber_id', '=', f.prescriber);
  return query;
}

export async function queueCount(q: Q, f: QueueFilter): Promise<number> {
  const r = await filtered(q, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The queue's rows: each item with its request, patient, template and prescriber. */
function rows(q: Q, practiceOds: string) {
  return q
    .selectFrom('prescription_request_items as i')
    .innerJoin('prescription_requests as r', 'r.id', 'i.request_id')
    .innerJoin('patients as p', 'p.id', 'i.patient_id')
    .innerJoin('repeat_templates as t', 't.id', 'i.template_id')
    .leftJoin('staff_users as s', 's.id', 'i.prescriber_id')
    .select([
      'i.id',
      'i.request_id',
      'i.patient_id',
      'i.template_id',
      'i.prescriber_id',
      'i.drug_name',
      'i.dosage',
      'i.quantity',
      'i.quantity_unit',
      'i.early',
      'i.status',
      'i.requested_at',
      'i.status_at',
      'i.reject_reason',
      'r.note',
      'r.early_reason',
      'r.channel',
      'p.given_name',
      'p.family_name',
      'p.nhs_number',
      'p.birth_date',
      't.drug_name as issue_drug_name',
      't.dosage as issue_dosage',
      't.quantity as issue_quantity',
      't.quantity_unit as issue_quantity_unit',
      't.prescription_type',
      't.issues_authorised',
      't.issues_made',
      't.review_date',
      't.repeat_until',
      't.last_issued_at',
      't.status as template_status',
      's.name as prescriber_name',
    ])
    .where('i.practice_ods', '=', practiceOds);
}

/**
 * One page of the queue, oldest first, unexecuted (for EXPLAIN). The page's ids come first from
 * the queue or prescriber index alone (an index-only scan, even deep into 20,000 items); only
 * those 25 are joined to their request, patient and template.
 */
export function queuePageQuery(q: Q, f: QueueFilter & { limit: number; offset: number }) {
  const ids = filtered(q, f)
    .select('i.id')
    .orderBy('i.requested_at')
    .orderBy('i.id')
    .limit(f.limit)
    .offset(f.offset);
  return rows(q, f.practiceOds).where('i.id', 'in', ids).orderBy('i.requested_at').orderBy('i.id');
}

export async function queuePage(q: Q, f: QueueFilter & { limit: number; offset: number }) {
  return queuePageQuery(q, f).execute();
}

/** One item as the queue shows it, or undefined if it is not the practice's. */
export async function queueRow(q: Q, practiceOds: string, id: string) {
  return rows(q, practiceOds).where('i.id', '=', id).executeTakeFirst();
}
export type QueueRow = Awaited<ReturnType<typeof queuePage>>[number];

/** The practice's clinicians, for the prescriber filter. */
export async function prescribers(q: Q, practiceOds: string) {
  return q
    .selectFrom('staff_users')
    .select(['id', 'name'])
    .where('practice_ods', '=', practiceOds)
    .where('role', '=', 'clinician')
    .orderBy('name')
    .execute();
}

/** The item's row locked until the transaction ends: a second decision waits, then sees the first. */
export async function itemForUpdate(tx: Tx, practiceOds: string, id: string) {
  return tx
    .selectFrom('prescription_request_items')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The repeat an item is of (never changes), so the repeat can be locked before the item. */
export async function templateOfItem(tx: Tx, practiceOds: string, id: string): Promise<string | undefined> {
  const r = await tx
    .selectFrom('prescription_request_items')
    .select('template_id')
    .where('practice_ods', '=', practiceOds)
    .where('id', '=', id)
    .executeTakeFirst();
  return r?.template_id;
}

/**
 * The repeat locked until the transaction ends: for an approval (update), or for a dispensing
 * step (share: a suspension waits for it, and it for a suspension). Always the repeat before the
 * item, as a change to the repeat locks them, so the two never deadlock.
 */
export async function templateForUpdate(tx: Tx, practiceOds: string, id: string, share = false) {
  const q = tx
    .selectFrom('repeat_templates')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('id', '=', id);
  return (share ? q.forShare() : q.forUpdate()).executeTakeFirst();
}

/** The repeat's item still waiting for a prescriber (at most one: migration 016), locked. */
export async function waitingItemsForUpdate(tx: Tx, practiceOds: string, templateId: string) {
  return tx
    .selectFrom('prescription_request_items')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .where('template_id', '=', templateId)
    .where('status', '=', 'requested')
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The drug the item was issued as, once approved. */
export async function issuedDrugName(tx: Tx, itemId: string): Promise<string | undefined> {
  const r = await tx
    .selectFrom('prescription_issues')
    .select('drug_name')
    .where('request_item_id', '=', itemId)
    .executeTakeFirst();
  return r?.drug_name;
}

/** The repeat's record entry is hidden from the online record (HAZ-20). */
export async function hiddenOnline(tx: Tx, templateId: string): Promise<boolean> {
  const r = await tx
    .selectFrom('repeat_templates as t')
    .innerJoin('record_entries as e', 'e.id', 't.record_entry_id')
    .select('e.id')
    .where('t.id', '=', templateId)
    .where('e.visible_online', '=', false)
    .executeTakeFirst();
  return r !== undefined;
}

/** Moves an item only if it is still in `from`: false when someone else moved it first. */
export async function moveItem(
  tx: Tx,
  m: {
    id: string;
    from: ItemStatus;
    to: ItemStatus;
    now: Date;
    decidedBy?: string;
    rejectReason?: string;
  },
): Promise<boolean> {
  const r = await tx
    .updateTable('prescription_request_items')
    .set({
      status: m.to,
      status_at: m.now,
      ...(m.decidedBy ? { decided_by: m.decidedBy, decided_at: m.now } : {}),
      ...(m.rejectReason ? { reject_reason: m.rejectReason } : {}),
    })
    .where('id', '=', m.id)
    .where('status', '=', m.from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Counts one more issue made, only while some are left and the repeat is active; the check on
 * the table refuses anything past the authorised issues even without this condition.
 */
export async function countIssue(tx: Tx, t: { templateId: string; now: Date }): Promise<boolean> {
  const r = await tx
    .updateTable('repeat_templates')
    .set((eb) => ({ issues_made: eb('issues_made', '+', 1), last_issued_at: t.now, updated_at: t.now }))
    .where('id', '=', t.templateId)
    .where('status', '=', 'active')
    .whereRef('issues_made', '<', 'issues_authorised')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The issue, copying the drug, dose and quantity it is made with (one per item: a unique index). */
export async function insertIssue(
  tx: Tx,
  i: {
    practiceOds: string;
    patientId: string;
    templateId: string;
    itemId: string;
    now: Date;
    by: string;
    prescriberName: string;
    dmdCode: string | null;
    drugName: string;
    dosage: string;
    quantity: string;
    quantityUnit: string;
    daysSupply: number;
    pharmacyOds: string | null;
  },
): Promise<string> {
  const id = randomUUID();
  await tx
    .insertInto('prescription_issues')
    .values({
      id,
      practice_ods: i.practiceOds,
      patient_id: i.patientId,
      template_id: i.templateId,
      request_item_id: i.itemId,
      issued_at: i.now,
      issued_by: i.by,
      prescriber_name: i.prescriberName,
      dmd_code: i.dmdCode,
      drug_name: i.drugName,
      dosage: i.dosage,
      quantity: i.quantity,
      quantity_unit: i.quantityUnit,
      days_supply: i.daysSupply,
      pharmacy_ods: i.pharmacyOds,
    })
    .execute();
  return id;
}

export async function pharmacyOfRequest(tx: Tx, requestId: string): Promise<string | null> {
  const r = await tx
    .selectFrom('prescription_requests')
    .select('pharmacy_ods')
    .where('id', '=', requestId)
    .executeTakeFirst();
  return r?.pharmacy_ods ?? null;
}

export async function practiceName(q: Q, ods: string): Promise<string> {
  const r = await q.selectFrom('practices').select('name').where('ods_code', '=', ods).executeTakeFirst();
  return r?.name ?? ods;
}
