// Entries and access for the access rule's clinical-safety tests (the *-safety tests beside it).
import type { EntryDetails, Measurement, RecordAccess, RecordEntry } from '../model.ts';
import { visibleRecord } from './rules.ts';

let n = 0;
export const SCT = 'http://snomed.info/sct';
export const measurement = (over: Partial<Measurement> = {}): Measurement => ({
  value: null,
  valueText: null,
  unit: null,
  low: null,
  high: null,
  interpretation: null,
  ...over,
});
export const medication = (status: 'current' | 'past'): EntryDetails => ({
  kind: 'medication',
  prescriptionType: 'repeat',
  status,
  dosage: 'One tablet daily',
  quantity: 28,
  quantityUnit: 'tablet',
  issuesAuthorised: null,
  issuesDone: null,
  reviewDate: null,
  lastIssued: null,
});

export function entry(over: Partial<RecordEntry> & Pick<RecordEntry, 'kind'>): RecordEntry {
  n++;
  const details: EntryDetails =
    over.kind === 'medication'
      ? medication('current')
      : over.kind === 'allergy'
        ? {
            kind: 'allergy',
            category: null,
            type: null,
            criticality: null,
            reactions: ['Rash'],
            active: true,
          }
        : over.kind === 'consultation'
          ? { kind: 'consultation', clinician: 'Dr A', location: null, consultationType: null }
          : over.kind === 'document'
            ? {
                kind: 'document',
                author: null,
                contentType: 'text/plain',
                content: 'letter',
                documentType: null,
              }
            : over.kind === 'result'
              ? {
                  kind: 'result',
                  measurement: measurement({ value: 5 }),
                  components: [],
                  reportId: null,
                  category: null,
                }
              : over.kind === 'administrative'
                ? { kind: 'administrative' }
                : { kind: 'procedure', status: null, performer: null };
  return {
    id: `s${String(n)}`,
    patientId: 'p',
    practiceOds: 'P81082',
    source: null,
    clinicalDate: '2026-06-01',
    recordedAt: '2026-06-01T10:00:00Z',
    coding: [{ system: SCT, code: String(200000 + n), display: `Coded ${String(n)}` }],
    title: `Coded ${String(n)}`,
    text: 'Seen with her partner, who is drinking again',
    consultationId: null,
    draft: false,
    unfiled: false,
    unreviewed: false,
    visibleOnline: true,
    importedAt: '2026-06-01T10:00:00Z',
    details,
    ...over,
  };
}

export const access = (over: Partial<RecordAccess> = {}): RecordAccess => ({
  level: 'full',
  prospectiveFrom: '2026-01-01',
  detailedFrom: '2026-01-01',
  fullFrom: '2026-01-01',
  historicAccess: false,
  historicLevel: 'full',
  reviewedAt: '2026-06-02T00:00:00Z',
  withheld: false,
  ...over,
});
export const ids = (entries: RecordEntry[], a: RecordAccess) => visibleRecord(entries, a).map((e) => e.id);
export const only = (e: RecordEntry, a: RecordAccess) => visibleRecord([e], a)[0];
