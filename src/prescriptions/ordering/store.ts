// SQL of the patient's side of repeat prescriptions: their repeats with any open item, their
// orders (one row per item), cancelling an item, and their nominated pharmacy. Every query filters
// by the practice's ODS code and the patient.
import type { ExpressionBuilder } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { Database, ItemStatus, PrescriptionType, TemplateStatus } from '../../platform/db/schema.ts';

type Q = Db | Tx;

/**
 * HAZ-20: an item whose repeat was made from a record entry a clinician hid from online view, even
 * one ordered before the entry was hidden, is not the patient's to see online.
 */
function itemShown(eb: ExpressionBuilder<Database, 'prescription_request_items'>) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('repeat_templates as ht')
        .innerJoin('record_entries as he', 'he.id', 'ht.record_entry_id')
        .select('he.id')
        .whereRef('ht.id', '=', 'prescription_request_items.template_id')
        .where('he.visible_online', '=', false),
    ),
  );
}

/** A request with at least one item the patient may see online. */
function requestShown(eb: ExpressionBuilder<Database & { r: Database['prescription_requests'] }, 'r'>) {
  return eb.exists(
    eb
      .selectFrom('prescription_request_items')
      .select('prescription_request_items.id')
      .whereRef('prescription_request_items.request_id', '=', 'r.id')
      .where((e) => itemShown(e)),
  );
}

export type RepeatRow = {
  id: string;
  prescription_type: PrescriptionType;
  status: TemplateStatus;
  drug_name: string;
  dosage: string;
  quantity: string;
  quantity_unit: string;
  days_per_issue: number;
  issues_authorised: number;
  issues_made: number;
  review_date: string | null;
  repeat_until: string | null;
  online_orderable: boolean;
  authorised_by: string | null;
  last_issued_at: Date | null;
  open_status: ItemStatus | null;
  open_request_id: string | null;
  open_item_id: string | null;
};

/**
 * The patient's repeats (acute and ended ones too), with the item of each still open; never one
 * made from a record entry a clinician hid from online view.
 */
export async function repeatsOf(q: Q, ods: string, patientId: string): Promise<RepeatRow[]> {
  return (
    q
      .selectFrom('repeat_templates as t')
      .leftJoin('prescription_request_items as i', (j) =>
        j.onRef('i.template_id', '=', 't.id').on('i.status', '=', 'requested'),
      )
      .select([
        't.id',
        't.prescription_type',
        't.status',
        't.drug_name',
        't.dosage',
        't.quantity',
        't.quantity_unit',
        't.days_per_issue',
        't.issues_authorised',
        't.issues_made',
        't.review_date',
        't.repeat_until',
        't.online_orderable',
        't.authorised_by',
        't.last_issued_at',
        'i.status as open_status',
        'i.request_id as open_request_id',
        'i.id as open_item_id',
      ])
      .where('t.practice_ods', '=', ods)
      .where('t.patient_id', '=', patientId)
      // HAZ-20: a medicine a clinician hid from the online record is neither listed nor ordered online.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('record_entries as e')
              .select('e.id')
              .whereRef('e.id', '=', 't.record_entry_id')
              .where('e.visible_online', '=', false),
          ),
        ),
      )
      .orderBy('t.prescription_type', 'desc')
      .orderBy('t.drug_name')
      .orderBy('t.id')
      .execute()
  );
}

/**
 * Locks the patient's chosen repeats (in id order, so two orders never deadlock): a second order
 * of the same repeat waits here until the first commits, then sees its open item.
 */
export async function lockRepeats(tx: Tx, ods: string, patientId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await tx
    .selectFrom('repeat_templates')
    .select('id')
    .where('practice_ods', '=', ods)
    .where('patient_id', '=', patientId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export async function insertRequest(
  tx: Tx,
  r: {
    id: string;
    practiceOds: string;
    patientId: string;
    accountId: string;
    now: Date;
    note: string | null;
    earlyReason: string | null;
    pharmacyOds: string | null;
    channel: 'web' | 'api';
  },
): Promise<void> {
  await tx
    .insertInto('prescription_requests')
    .values({
      id: r.id,
      practice_ods: r.practiceOds,
      patient_id: r.patientId,
      account_id: r.accountId,
      requested_at: r.now,
      note: r.note,
      early_reason: r.earlyReason,
      pharmacy_ods: r.pharmacyOds,
      channel: r.channel,
    })
    .execute();
}

export type NewItem = {
  id: string;
  templateId: string;
  prescriberId: string | null;
  drugName: string;
  dosage: string;
  quantity: string;
  quantityUnit: string;
  early: boolean;
};

/** The items of a request; a repeat already open breaks the one-open-item index (23505). */
export async function insertItems(
  tx: Tx,
  r: { requestId: string; practiceOds: string; patientId: string; now: Date; items: NewItem[] },
): Promise<void> {
  await tx
    .insertInto('prescription_request_items')
    .values(
      r.items.map((i) => ({
        id: i.id,
        request_id: r.requestId,
        practice_ods: r.practiceOds,
        patient_id: r.patientId,
        template_id: i.templateId,
        prescriber_id: i.prescriberId,
        drug_name: i.drugName,
        dosage: i.dosage,
        quantity: i.quantity,
        quantity_unit: i.quantityUnit,
        early: i.early,
        status: 'requested' as const,
        requested_at: r.now,
        status_at: r.now,
      })),
    )
    .execute();
}

export type RequestRow = {
  id: string;
  requested_at: Date;
  note: string | null;
  early_reason: string | null;
  pharmacy_ods: string | null;
  pharmacy_name: string | null;
  channel: string;
};

export type ItemRow = {
  id: string;
  request_id: string;
  template_id: string;
  drug_name: string;
  dosage: string;
  quantity: string;
  quantity_unit: string;
  early: boolean;
  status: ItemStatus;
  status_at: Date;
  reject_reason: string | null;
};

const requestColumns = [
  'r.id',
  'r.requested_at',
  'r.note',
  'r.early_reason',
  'r.pharmacy_ods',
  'ph.name as pharmacy_name',
  'r.channel',
] as const;

/** One page of the patient's requests, newest first, and how many there are. */
export async function requestsOf(
  q: Q,
  ods: string,
  p: { patientId: string; limit: number; offset: number },
): Promise<{ requests: RequestRow[]; total: number }> {
  const base = q
    .selectFrom('prescription_requests as r')
    .where('r.practice_ods', '=', ods)
    .where('r.patient_id', '=', p.patientId)
    .where((eb) => requestShown(eb));
  const total = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const requests = await base
    .leftJoin('pharmacies as ph', 'ph.ods_code', 'r.pharmacy_ods')
    .select(requestColumns)
    .orderBy('r.requested_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(p.limit)
    .offset(p.offset)
    .execute();
  return { requests, total: Number(total.n) };
}

export async function requestOf(
  q: Q,
  ods: string,
  p: { patientId: string; requestId: string },
): Promise<RequestRow | undefined> {
  return q
    .selectFrom('prescription_requests as r')
    .leftJoin('pharmacies as ph', 'ph.ods_code', 'r.pharmacy_ods')
    .select(requestColumns)
    .where('r.practice_ods', '=', ods)
    .where('r.patient_id', '=', p.patientId)
    .where('r.id', '=', p.requestId)
    .where((eb) => requestShown(eb))
    .executeTakeFirst();
}

/** The items of these requests, in the order they were asked for. */
export async function itemsOf(
  q: Q,
  ods: string,
  p: { patientId: string; requestIds: string[] },
): Promise<ItemRow[]> {
  if (!p.requestIds.length) return [];
  return q
    .selectFrom('prescription_request_items')
    .select([
      'id',
      'request_id',
      'template_id',
      'drug_name',
      'dosage',
      'quantity',
      'quantity_unit',
      'early',
      'status',
      'status_at',
      'reject_reason',
    ])
    .where('practice_ods', '=', ods)
    .where('patient_id', '=', p.patientId)
    .where('request_id', 'in', p.requestIds)
    .where((eb) => itemShown(eb))
    .orderBy('drug_name')
    .orderBy('id')
    .execute();
}

/**
 * Cancels the patient's item if it is still requested: a conditional update, so a prescriber's
 * decision at the same moment and a cancel never both win. Returns whether it was cancelled.
 */
export async function cancelItem(
  tx: Tx,
  ods: string,
  p: { patientId: string; requestId: string; itemId: string; now: Date },
): Promise<boolean> {
  const r = await tx
    .updateTable('prescription_request_items')
    .set({ status: 'cancelled', status_at: p.now })
    .where('practice_ods', '=', ods)
    .where('patient_id', '=', p.patientId)
    .where('request_id', '=', p.requestId)
    .where('id', '=', p.itemId)
    .where('status', '=', 'requested')
    .where((eb) => itemShown(eb))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function itemOf(
  q: Q,
  ods: string,
  p: { patientId: string; requestId: string; itemId: string },
): Promise<ItemRow | undefined> {
  return q
    .selectFrom('prescription_request_items')
    .select([
      'id',
      'request_id',
      'template_id',
      'drug_name',
      'dosage',
      'quantity',
      'quantity_unit',
      'early',
      'status',
      'status_at',
      'reject_reason',
    ])
    .where('practice_ods', '=', ods)
    .where('patient_id', '=', p.patientId)
    .where('request_id', '=', p.requestId)
    .where('id', '=', p.itemId)
    .where((eb) => itemShown(eb))
    .executeTakeFirst();
}

export type PharmacyRow = {
  ods_code: string;
  name: string;
  address_lines: string[];
  postcode: string | null;
};

/** The patient's nominated pharmacy, if they have one. */
export async function nominatedPharmacy(
  q: Q,
  ods: string,
  patientId: string,
): Promise<PharmacyRow | undefined> {
  return q
    .selectFrom('pharmacy_nominations as n')
    .innerJoin('pharmacies as p', 'p.ods_code', 'n.pharmacy_ods')
    .select(['p.ods_code', 'p.name', 'p.address_lines', 'p.postcode'])
    .where('n.practice_ods', '=', ods)
    .where('n.patient_id', '=', patientId)
    .executeTakeFirst();
}
