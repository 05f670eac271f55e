// How the patient's record is presented, pure: the headings in order, out-of-range flags, level
// wording and the view models the record pages render. No HTML here: templates render these.
import type { EntryDetails, EntryKind, Measurement, RecordAccess } from '../model.ts';
import { quantityText } from './words.ts';
import type { VisibleEntry } from '../access/rules.ts';
import { AppError } from '../../platform/http/errors.ts';

export type Section = { kind: EntryKind; slug: string; title: string; hint: string };

export const SECTION_ORDER: readonly Section[] = [
  {
    kind: 'medication',
    slug: 'medicines',
    title: 'Medicines',
    hint: 'Medicines you take now and have taken before',
  },
  {
    kind: 'allergy',
    slug: 'allergies',
    title: 'Allergies and adverse reactions',
    hint: 'Things you are allergic to or that have caused a reaction',
  },
  {
    kind: 'problem',
    slug: 'health-conditions',
    title: 'Health conditions',
    hint: 'Problems and diagnoses your GP has recorded',
  },
  { kind: 'immunisation', slug: 'vaccinations', title: 'Vaccinations', hint: 'Vaccines you have had' },
  {
    kind: 'result',
    slug: 'test-results',
    title: 'Test results',
    hint: 'Blood tests, urine tests and other results',
  },
  {
    kind: 'value',
    slug: 'measurements',
    title: 'Measurements',
    hint: 'Blood pressure, weight and other measurements',
  },
  { kind: 'procedure', slug: 'procedures', title: 'Procedures', hint: 'Operations and procedures' },
  {
    kind: 'referral',
    slug: 'referrals',
    title: 'Referrals',
    hint: 'When your GP referred you to another service',
  },
  {
    kind: 'consultation',
    slug: 'consultations',
    title: 'Consultations',
    hint: 'Appointments and what was recorded',
  },
  { kind: 'document', slug: 'documents', title: 'Documents', hint: 'Letters and other documents' },
  { kind: 'administrative', slug: 'other', title: 'Other information', hint: 'Other coded information' },
];

export function sectionBySlug(slug: string): Section | undefined {
  return SECTION_ORDER.find((s) => s.slug === slug);
}

/** Out of range when below the low or above the high limit; an interpretation code of H/L/A/HH/LL counts too. */
export function outOfRange(m: {
  value: number | null;
  low: number | null;
  high: number | null;
  interpretation: string | null;
}): 'high' | 'low' | null {
  if (m.value !== null) {
    if (m.high !== null && m.value > m.high) return 'high';
    if (m.low !== null && m.value < m.low) return 'low';
  }
  const i = m.interpretation?.toUpperCase();
  if (i === 'H' || i === 'HH' || i === 'HU') return 'high';
  if (i === 'L' || i === 'LL' || i === 'LU') return 'low';
  return null;
}

/** Newest first by clinical date, then by when it was recorded. */
export function newestFirst<T extends { clinicalDate: string | null; recordedAt: string }>(
  a: T,
  b: T,
): number {
  const ka = a.clinicalDate ?? a.recordedAt;
  const kb = b.clinicalDate ?? b.recordedAt;
  return ka < kb ? 1 : ka > kb ? -1 : b.recordedAt.localeCompare(a.recordedAt);
}

export type Flagged<M> = M & {
  flag: 'high' | 'low' | null;
  /** Out of range, or marked abnormal by the laboratory without a direction (A, AA). */
  abnormal: boolean;
  /** The normal range in words with its unit ("3.5 to 5.3 mmol/L", "up to 5 mmol/L"), if known. */
  rangeText: string | null;
};

/** Abnormal when out of range either way, or the interpretation says so (A, AA, HH, LL…). */
export function isAbnormal(m: Parameters<typeof outOfRange>[0]): boolean {
  return outOfRange(m) !== null || /^(A|AA|HH|LL|HU|LU)$/i.test(m.interpretation ?? '');
}

export function rangeText(m: {
  low: number | null;
  high: number | null;
  unit: string | null;
}): string | null {
  const unit = m.unit ? ` ${m.unit}` : '';
  if (m.low !== null && m.high !== null) return `${String(m.low)} to ${String(m.high)}${unit}`;
  if (m.high !== null) return `up to ${String(m.high)}${unit}`;
  if (m.low !== null) return `${String(m.low)}${unit} or more`;
  return null;
}

export type WithQuantity<D> = D & { quantityText: string | null };

/**
 * An entry as pages show it: the out-of-range flag on every measurement, and a medicine's
 * quantity counted in its own dose form ("28 tablets", "1 inhaler").
 */
export function withFlags<E extends { details: EntryDetails }>(e: E): E {
  const d = e.details;
  if (d.kind === 'medication') {
    const details: WithQuantity<typeof d> = { ...d, quantityText: quantityText(d.quantity, d.quantityUnit) };
    return { ...e, details };
  }
  if (d.kind !== 'result' && d.kind !== 'value') return e;
  const flag = <M extends Measurement>(m: M): Flagged<M> => ({
    ...m,
    flag: outOfRange(m),
    abnormal: isAbnormal(m),
    rangeText: rangeText(m),
  });
  return {
    ...e,
    details: {
      ...d,
      measurement: d.measurement ? flag(d.measurement) : null,
      components: d.components.map(flag),
    },
  };
}

export const LEVEL_TEXT = {
  none: 'no record access',
  summary: 'summary information: medicines, allergies and adverse reactions',
  detailed: 'your detailed coded record',
  full: 'your full record, including notes and documents',
} as const;

/** Pages beyond this are never there (and would overflow the database's offset). */
export const LAST_PAGE = 10_000;

/**
 * A page number from a query string (1-based, as people see it) to a 0-based page. No number is
 * the first page; anything but a whole number from 1 is a 400, and a page past the end a 404.
 */
export function pageIndex(raw: unknown): number {
  if (raw === undefined || raw === '') return 0;
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw) || /^0+$/.test(raw))
    throw AppError.invalid([{ field: 'page', message: 'The page number must be a whole number, 1 or more' }]);
  const n = Number(raw);
  if (n > LAST_PAGE) throw noSuchPage(n);
  return n - 1;
}

export function noSuchPage(n: number): AppError {
  return new AppError('not-found', `There is no page ${String(n)}: go back to the first page.`);
}

/** Visible entries grouped under their headings, in the record's order, empty headings left out. */
export function groupBySection(
  entries: readonly VisibleEntry[],
): { section: Section; entries: VisibleEntry[] }[] {
  return SECTION_ORDER.map((s) => ({
    section: s,
    entries: entries.filter((e) => e.kind === s.kind).map(withFlags),
  })).filter((g) => g.entries.length);
}

/** "Your GP record": the headings the level shows, with current medicines and allergies. */
export type RecordSummary = {
  access: RecordAccess;
  sections: Section[];
  medicines: VisibleEntry[];
  allergies: VisibleEntry[];
};

/** One heading of the record, a page of it; consultations carry their coded entries. */
export type SectionPage = {
  section: Section;
  entries: VisibleEntry[];
  children: Map<string, VisibleEntry[]>;
  page: number;
  more: boolean;
};

/** What the summary's template renders. */
export function summaryView(summary: RecordSummary) {
  return {
    summary: {
      ...summary,
      medicines: summary.medicines.map(withFlags),
      allergies: summary.allergies.map(withFlags),
    },
    levelText: LEVEL_TEXT[summary.access.level],
  };
}

/** What a heading page's template renders. */
export function sectionView(page: SectionPage) {
  const children = new Map([...page.children].map(([k, v]) => [k, v.map(withFlags)]));
  return { page: { ...page, entries: page.entries.map(withFlags), children } };
}
