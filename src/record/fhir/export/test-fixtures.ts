// The record the export's tests export: one patient, one entry of every kind, and helpers to look
// inside the Bundle.
import assert from 'node:assert/strict';
import { DMD, SNOMED, type EntryDetails, type EntryKind } from '../../model.ts';
import type { VisibleEntry } from '../../access/rules.ts';
import type { ExportBundle, ExportPatient, ExportResource } from './bundle.ts';

export const NOW = new Date('2025-03-04T05:06:07.000Z');

export const patient: ExportPatient = {
  id: '0b4c1a8e-1111-4c2d-9e3f-000000000001',
  nhsNumber: '9912003888',
  givenName: 'Richard John',
  familyName: 'Smith',
  birthDate: '1970-09-11',
  sex: 'male',
  addressLines: ['4 Sandmoor Drive', 'LEEDS'],
  postcode: 'LS17 7DF',
  practice: { odsCode: 'B82005', name: 'White Rose Surgery' },
};

export const uuid = (n: number): string => `7f000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const CONSULTATION = uuid(1);
export const HIDDEN_CONSULTATION = uuid(999);

export function entry(
  n: number,
  kind: EntryKind,
  title: string,
  details: EntryDetails,
  extra: Partial<VisibleEntry> = {},
): VisibleEntry {
  return {
    id: uuid(n),
    kind,
    clinicalDate: '2024-01-10',
    recordedAt: '2024-01-10T09:30:00.000Z',
    coding: [{ system: SNOMED, code: String(100000 + n), display: title }],
    title,
    text: null,
    consultationId: null,
    details,
    ...extra,
  };
}

const measurement = {
  value: null,
  valueText: null,
  unit: null,
  low: null,
  high: null,
  interpretation: null,
};

/** One entry of every kind, at full access (text and document content present). */
export function fullRecord(): VisibleEntry[] {
  return [
    entry(
      1,
      'consultation',
      'Surgery consultation',
      {
        kind: 'consultation',
        clinician: 'Dr Jane Jones',
        location: 'Main surgery',
        consultationType: 'Face to face',
      },
      { text: 'Came in with <cough> & cold.\nAdvised rest.' },
    ),
    entry(
      2,
      'problem',
      'Hypertension',
      { kind: 'problem', clinicalStatus: 'active', significance: 'major', onset: '2019-05', abatement: null },
      { consultationId: CONSULTATION, text: 'Home readings high' },
    ),
    entry(3, 'problem', 'Asthma', {
      kind: 'problem',
      clinicalStatus: 'past',
      significance: null,
      onset: '2001',
      abatement: '2010-06-01',
    }),
    entry(
      4,
      'medication',
      'Ramipril 5mg capsules',
      {
        kind: 'medication',
        prescriptionType: 'repeat',
        status: 'current',
        dosage: 'One a day',
        quantity: 28,
        quantityUnit: 'capsule',
        issuesAuthorised: 6,
        issuesDone: 2,
        reviewDate: '2025-01-10',
        lastIssued: '2024-12-01',
      },
      { coding: [{ system: DMD, code: '39732411000001106', display: 'Ramipril 5mg capsules' }] },
    ),
    entry(5, 'medication', 'Amoxicillin 500mg capsules', {
      kind: 'medication',
      prescriptionType: 'acute',
      status: 'past',
      dosage: null,
      quantity: null,
      quantityUnit: null,
      issuesAuthorised: null,
      issuesDone: null,
      reviewDate: null,
      lastIssued: null,
    }),
    entry(6, 'allergy', 'Penicillin', {
      kind: 'allergy',
      category: 'medication',
      type: 'allergy',
      criticality: 'high',
      reactions: ['Urticarial rash', 'Wheeze'],
      active: true,
    }),
    entry(7, 'immunisation', 'Influenza vaccine', {
      kind: 'immunisation',
      doseNumber: '2',
      site: 'Left upper arm',
      status: 'completed',
    }),
    entry(
      8,
      'result',
      'Serum albumin level',
      {
        kind: 'result',
        measurement: { value: 47, valueText: null, unit: 'g/L', low: 35, high: 50, interpretation: 'N' },
        components: [],
        reportId: 'DiagnosticReport/secret-report',
        category: 'Laboratory',
      },
      { consultationId: HIDDEN_CONSULTATION, text: 'Normal' },
    ),
    entry(
      9,
      'value',
      'Blood pressure',
      {
        kind: 'value',
        measurement: null,
        components: [
          {
            ...measurement,
            name: 'Systolic blood pressure',
            value: 142,
            unit: 'mm[Hg]',
            interpretation: 'H',
          },
          { ...measurement, name: 'Diastolic blood pressure', value: 94, unit: 'mm[Hg]' },
        ],
      },
      { coding: [{ system: SNOMED, code: '75367002', display: 'Blood pressure' }] },
    ),
    entry(10, 'value', 'Smoking status', {
      kind: 'value',
      measurement: { ...measurement, valueText: 'Never smoked', valueCoded: false },
      components: [],
    }),
    entry(11, 'procedure', 'Excision of skin lesion', {
      kind: 'procedure',
      status: 'completed',
      performer: 'Dr Jane Jones',
    }),
    entry(
      12,
      'referral',
      'Referral to dermatology',
      { kind: 'referral', status: 'active', priority: 'routine', recipient: 'Leeds Dermatology' },
      { consultationId: CONSULTATION },
    ),
    entry(
      13,
      'document',
      'Letter from dermatology',
      {
        kind: 'document',
        author: 'Dr Skin',
        contentType: 'text/plain',
        content: 'Dear Dr Jones, seen today — benign.',
        documentType: 'Clinical letter',
      },
      { clinicalDate: '2024-02-01T10:00:00Z', coding: [] },
    ),
    entry(
      14,
      'administrative',
      'Enhanced review not indicated before granting access to own health record',
      { kind: 'administrative' },
      {
        coding: [
          {
            system: SNOMED,
            code: '1364751000000106',
            display: 'Enhanced review not indicated before granting access to own health record',
          },
        ],
      },
    ),
  ];
}

/** The same record as seen below full access: no free text, no document content. */
export function detailedRecord(): VisibleEntry[] {
  return fullRecord().map((e) => ({
    ...e,
    text: null,
    details: e.details.kind === 'document' ? { ...e.details, content: null } : e.details,
  }));
}

export function resources(bundle: ExportBundle): ExportResource[] {
  return bundle.entry.map((e) => e.resource);
}

export function byId(bundle: ExportBundle, n: number): Record<string, unknown> {
  const r = resources(bundle).find((x) => x.id === uuid(n));
  assert.ok(r, `resource ${uuid(n)}`);
  return { ...r };
}

/** Every `reference` string anywhere in a value. */
export function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}
