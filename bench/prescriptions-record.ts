// Record entries of the bench prescriptions practice, so the queue's prescribing context (recent
// abnormal results, allergies) and each template's record entry are read from a realistic table:
// per patient, one medication entry for each repeat (the template links to it), two results in
// the last year (one patient in four has one out of range) and, for three in ten, an allergy.
import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { DMD, SNOMED } from '../src/record/model.ts';
import type { RecordEntriesTable } from '../src/platform/db/schema.ts';
import type { DemoMedicine } from '../src/demo/record-codes.ts';
import { englandDay } from '../src/platform/dates.ts';

type Entry = Insertable<RecordEntriesTable>;
const DAY = 86_400_000;

function entry(
  o: { practiceOds: string; patientId: string; at: Date; now: Date },
  e: { kind: string; system: string; code: string; title: string; details: Record<string, unknown> },
): Entry {
  const day = englandDay(o.at);
  return {
    id: randomUUID(),
    practice_ods: o.practiceOds,
    patient_id: o.patientId,
    kind: e.kind,
    source_system: null,
    source_id: null,
    clinical_date: day,
    recorded_at: o.at,
    sort_key: day,
    coding: JSON.stringify([{ system: e.system, code: e.code, display: e.title }]),
    title: e.title,
    text: null,
    consultation_id: null,
    draft: false,
    unfiled: false,
    unreviewed: false,
    visible_online: true,
    details: JSON.stringify(e.details),
    imported_at: o.now,
    updated_at: o.now,
  };
}

/** The record entry of a current repeat medicine, authorised on `at`. */
export function medicationEntry(
  o: { practiceOds: string; patientId: string; at: Date; now: Date },
  m: DemoMedicine,
): Entry {
  return entry(o, {
    kind: 'medication',
    system: DMD,
    code: m.code,
    title: m.name,
    details: {
      kind: 'medication',
      prescriptionType: 'repeat',
      status: 'current',
      dosage: m.dosage,
      quantity: m.quantity,
      quantityUnit: m.form,
      issuesAuthorised: 12,
      issuesDone: 1,
      reviewDate: null,
      lastIssued: null,
    },
  });
}

/** Two results in the last year (the second out of range when `abnormal`) and maybe an allergy. */
export function contextEntries(
  o: { practiceOds: string; patientId: string; now: Date },
  p: { abnormal: boolean; allergy: boolean; daysAgo: number },
): Entry[] {
  const result = (at: Date, value: number) =>
    entry(
      { ...o, at },
      {
        kind: 'result',
        system: SNOMED,
        code: '1000651000000109',
        title: 'Serum potassium level',
        details: {
          kind: 'result',
          measurement: {
            value,
            valueText: null,
            unit: 'mmol/L',
            low: 3.5,
            high: 5.3,
            interpretation: value > 5.3 ? 'H' : null,
          },
          components: [],
          reportId: null,
          category: 'laboratory',
        },
      },
    );
  const out = [
    result(new Date(o.now.getTime() - (p.daysAgo + 180) * DAY), 4.4),
    result(new Date(o.now.getTime() - p.daysAgo * DAY), p.abnormal ? 5.9 : 4.6),
  ];
  if (p.allergy)
    out.push(
      entry(
        { ...o, at: new Date(o.now.getTime() - 3000 * DAY) },
        {
          kind: 'allergy',
          system: SNOMED,
          code: '91936005',
          title: 'Penicillin allergy',
          details: {
            kind: 'allergy',
            category: 'medication',
            type: 'allergy',
            criticality: 'high',
            reactions: ['Rash'],
            active: true,
          },
        },
      ),
    );
  return out;
}
