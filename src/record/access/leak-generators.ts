// Random records and access settings for the leak property test (leak.int.test.ts), and the
// markers that make each generated entry findable in any output.
import fc from 'fast-check';
import type { RecordLevel } from '../../platform/db/schema.ts';
import type { EntryDetails, EntryKind, RecordAccess, RecordEntry } from '../model.ts';
import { ENTRY_KINDS } from '../model.ts';

// --- Generators ---------------------------------------------------------------------------------

export type GenEntry = {
  kind: EntryKind;
  draft: boolean;
  unfiled: boolean;
  unreviewed: boolean;
  visibleOnline: boolean;
  recordedAt: string;
  clinicalDate: string | null;
  medicationCurrent: boolean;
  hasText: boolean;
  /** Index (mod the number of consultations) of the consultation this entry was made in. */
  consultation: number | null;
  /** Index of a code shared between results and values (so history mixes shown and hidden). */
  sharedCode: number | null;
};

export type GenAccess = {
  level: RecordLevel;
  prospectiveFrom: string | null;
  /** Take prospectiveFrom from this entry's recorded date (to hit the boundary day). */
  prospectiveFromEntry: number | null;
  /** Detailed and full access began later than prospectiveFrom, on this entry's day (a raised level). */
  detailedFromEntry: number | null;
  fullFromEntry: number | null;
  historicAccess: boolean;
  historicGrantedLower: boolean;
  withheld: boolean;
};

const often = (oneIn: number) => fc.integer({ min: 1, max: oneIn }).map((n) => n === 1);
const isoDate = fc
  .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2026-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

export const genEntry: fc.Arbitrary<GenEntry> = fc.record({
  kind: fc.constantFrom(...ENTRY_KINDS),
  draft: often(12),
  unfiled: often(12),
  unreviewed: often(12),
  visibleOnline: often(6).map((hidden) => !hidden),
  recordedAt: isoDate,
  clinicalDate: fc.option(
    isoDate.map((d) => d.slice(0, 10)),
    { nil: null },
  ),
  medicationCurrent: fc.boolean(),
  hasText: often(2).map((no) => !no),
  consultation: fc.option(fc.nat(20), { nil: null, freq: 2 }),
  sharedCode: fc.option(fc.nat(2), { nil: null, freq: 2 }),
});

/** Mostly 5–40 mixed entries; sometimes more than a page (50) of one heading, to cross page boundaries. */
export const genRecord: fc.Arbitrary<GenEntry[]> = fc.oneof(
  { arbitrary: fc.array(genEntry, { minLength: 5, maxLength: 40 }), weight: 5 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom<EntryKind>('consultation', 'result', 'medication', 'problem'),
        fc.array(genEntry, { minLength: 45, maxLength: 120 }),
        fc.array(genEntry, { minLength: 0, maxLength: 10 }),
      )
      .map(([kind, many, mixed]) => [...many.map((g) => ({ ...g, kind })), ...mixed]),
    weight: 1,
  },
);

export const genAccess: fc.Arbitrary<GenAccess> = fc.record({
  level: fc.constantFrom<RecordLevel>('none', 'summary', 'detailed', 'detailed', 'full', 'full', 'full'),
  prospectiveFrom: fc.option(
    isoDate.map((d) => d.slice(0, 10)),
    { nil: null, freq: 4 },
  ),
  prospectiveFromEntry: fc.option(fc.nat(39), { nil: null, freq: 2 }),
  detailedFromEntry: fc.option(fc.nat(39), { nil: null, freq: 2 }),
  fullFromEntry: fc.option(fc.nat(39), { nil: null, freq: 2 }),
  historicAccess: often(3),
  historicGrantedLower: often(2),
  withheld: often(10),
});

// --- Writing a generated record ------------------------------------------------------------------

export type Markers = { title: string; text: string; code: string; content: string };

/** Fixed-width markers, unique per entry and run: none is a substring of another. */
export function markersFor(run: string, i: number): Markers {
  const n = String(i).padStart(3, '0');
  const digits = String(parseInt(run.slice(0, 8), 16) % 1_000_000_000).padStart(9, '0');
  return {
    title: `T-${run}-${n}q`,
    text: `X-${run}-${n}q`,
    content: `D-${run}-${n}q`,
    code: `C${digits}${n}`,
  };
}

export function sharedCodeOf(run: string, k: number): string {
  const digits = String(parseInt(run.slice(0, 8), 16) % 1_000_000_000).padStart(9, '0');
  return `S${digits}${String(k).padStart(3, '0')}`;
}

export function detailsFor(g: GenEntry, m: Markers, i: number): EntryDetails {
  const measurement = {
    value: 3 + (i % 5),
    valueText: null,
    unit: 'mmol/L',
    low: 3.5,
    high: 5.5,
    interpretation: null,
  };
  switch (g.kind) {
    case 'problem':
      return { kind: 'problem', clinicalStatus: 'active', significance: null, onset: null, abatement: null };
    case 'medication':
      return {
        kind: 'medication',
        prescriptionType: 'repeat',
        status: g.medicationCurrent ? 'current' : 'past',
        dosage: null,
        quantity: null,
        quantityUnit: null,
        issuesAuthorised: null,
        issuesDone: null,
        reviewDate: null,
        lastIssued: null,
      };
    case 'allergy':
      return {
        kind: 'allergy',
        category: null,
        type: 'allergy',
        criticality: null,
        reactions: [],
        active: true,
      };
    case 'immunisation':
      return { kind: 'immunisation', doseNumber: null, site: null, status: 'completed' };
    case 'result':
      return { kind: 'result', measurement, components: [], reportId: null, category: 'laboratory' };
    case 'value':
      return { kind: 'value', measurement, components: [] };
    case 'procedure':
      return { kind: 'procedure', status: 'completed', performer: null };
    case 'referral':
      return { kind: 'referral', status: 'active', priority: null, recipient: null };
    case 'consultation':
      return { kind: 'consultation', clinician: null, location: null, consultationType: null };
    case 'document':
      return {
        kind: 'document',
        author: null,
        contentType: 'text/plain',
        content: m.content,
        documentType: null,
      };
    case 'administrative':
      return { kind: 'administrative' };
  }
}

export type Written = {
  stored: RecordEntry[];
  access: RecordAccess;
  markers: Map<string, Markers>;
  shared: string[];
};

export function describe(e: RecordEntry, access: RecordAccess): string {
  return JSON.stringify({
    entry: {
      id: e.id,
      kind: e.kind,
      recordedAt: e.recordedAt,
      clinicalDate: e.clinicalDate,
      draft: e.draft,
      unfiled: e.unfiled,
      unreviewed: e.unreviewed,
      visibleOnline: e.visibleOnline,
      consultationId: e.consultationId,
      details: e.details,
    },
    access,
  });
}
