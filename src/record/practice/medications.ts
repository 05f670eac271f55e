// The record's current medicines of a patient, as a repeat template starts from them: the dm+d
// code, name, dose, quantity and unit, and what the record says about repeats. Callers check
// who is asking and audit the read (repeat prescriptions do, in their own use case).
import type { Db, Tx } from '../../platform/db/index.ts';
import { DMD, type Coding, type MedicationDetails } from '../model.ts';
import type { PatientAt } from '../store.ts';
import * as store from './medications-store.ts';
import { looksLikeId } from './rules.ts';

export type RecordMedication = {
  entryId: string;
  name: string;
  dmdCode: string | null;
  prescriptionType: MedicationDetails['prescriptionType'];
  dosage: string | null;
  quantity: number | null;
  quantityUnit: string | null;
  issuesAuthorised: number | null;
  reviewDate: string | null;
  lastIssued: string | null;
  startedOn: string | null;
};

type Row = Awaited<ReturnType<typeof store.medicationRows>>[number];

function medicationOf(r: Row): RecordMedication | null {
  const d = r.details as Partial<MedicationDetails>;
  if (d.kind !== 'medication' || d.status !== 'current') return null;
  const coding = r.coding as Coding[];
  return {
    entryId: r.id,
    name: r.title,
    dmdCode: coding.find((c) => c.system === DMD)?.code ?? null,
    prescriptionType: d.prescriptionType ?? 'repeat',
    dosage: d.dosage ?? null,
    quantity: d.quantity ?? null,
    quantityUnit: d.quantityUnit ?? null,
    issuesAuthorised: d.issuesAuthorised ?? null,
    reviewDate: d.reviewDate ?? null,
    lastIssued: d.lastIssued ?? null,
    startedOn: r.clinical_date,
  };
}

/** The patient's current medicines in the record, by name. */
export async function currentMedications(db: Db | Tx, of: PatientAt): Promise<RecordMedication[]> {
  const rows = await store.medicationRows(db, of);
  return rows.flatMap((r) => medicationOf(r) ?? []);
}

/** One current medicine of the patient, or undefined (another patient's, past, or no such entry). */
export async function currentMedication(
  db: Db | Tx,
  of: PatientAt & { entryId: string },
): Promise<RecordMedication | undefined> {
  if (!looksLikeId(of.entryId)) return undefined;
  const row = await store.medicationRow(db, of);
  return (row && medicationOf(row)) ?? undefined;
}
