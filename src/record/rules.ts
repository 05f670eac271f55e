// The one access rule for the GP record (domain.md §1.2, §1.3, §2). Every output that shows
// entries — pages, print, JSON, FHIR export — gets them from visibleRecord(). Hidden entries
// leave no trace: they are dropped before anything is counted, grouped or numbered.
import type { RecordLevel } from '../platform/db/schema.ts';
import type { Coding, EntryKind, RecordAccess, RecordEntry } from './model.ts';

/** Headings each level shows (GP Connect PFS permission levels; NHS England DCR definition). */
const SUMMARY_KINDS: readonly EntryKind[] = ['medication', 'allergy'];
const DETAILED_KINDS: readonly EntryKind[] = [
  ...SUMMARY_KINDS,
  'problem',
  'immunisation',
  'result',
  'value',
  'procedure',
  'referral',
  'consultation',
  'administrative',
];
const LEVEL_KINDS: Record<RecordLevel, readonly EntryKind[]> = {
  none: [],
  summary: SUMMARY_KINDS,
  detailed: DETAILED_KINDS,
  full: [...DETAILED_KINDS, 'document'],
};

export function kindsFor(level: RecordLevel): readonly EntryKind[] {
  return LEVEL_KINDS[level];
}

/** Free text (consultation notes, text added to codes, report conclusions) is part of the full record only. */
export function showsFreeText(level: RecordLevel): boolean {
  return level === 'full';
}

/**
 * Summary information — current medicines, allergies and adverse reactions — is shown whatever
 * its date; everything else follows prospective and historic access.
 */
export function isSummaryInformation(e: Pick<RecordEntry, 'kind' | 'details'>): boolean {
  if (e.kind === 'allergy') return true;
  return e.kind === 'medication' && e.details.kind === 'medication' && e.details.status === 'current';
}

/** Is the entry inside the date window the patient has (prospective from a date, plus historic if granted)? */
export function inDateWindow(
  recordedAt: string,
  access: Pick<RecordAccess, 'prospectiveFrom' | 'historicAccess'>,
): boolean {
  if (access.historicAccess) return true;
  if (!access.prospectiveFrom) return false;
  return recordedAt.slice(0, 10) >= access.prospectiveFrom;
}

/** Never shown online, whatever the level (GP Connect PFS; NHS England redaction guidance). */
export function neverShown(
  e: Pick<RecordEntry, 'draft' | 'unfiled' | 'unreviewed' | 'visibleOnline'>,
): boolean {
  return e.draft || e.unfiled || e.unreviewed || !e.visibleOnline;
}

/** What a database query may prefilter on: a plan derived from the same rules, never a substitute for them. */
export type AccessPlan = {
  none: boolean;
  kinds: readonly EntryKind[];
  recordedFrom: string | null;
  anyDate: boolean;
};

export function accessPlan(access: RecordAccess): AccessPlan {
  const none = access.withheld || access.level === 'none';
  return {
    none,
    kinds: none ? [] : kindsFor(access.level),
    recordedFrom: access.prospectiveFrom,
    anyDate: access.historicAccess,
  };
}

/** An entry as the patient sees it: no internal flags, no source ids, free text only at full access. */
export type VisibleEntry = {
  id: string;
  kind: EntryKind;
  clinicalDate: string | null;
  recordedAt: string;
  coding: Coding[];
  title: string;
  text: string | null;
  consultationId: string | null;
  details: RecordEntry['details'];
};

function strip(e: RecordEntry, level: RecordLevel): VisibleEntry {
  const fullText = showsFreeText(level);
  let details = e.details;
  if (details.kind === 'document' && !fullText) details = { ...details, content: null };
  return {
    id: e.id,
    kind: e.kind,
    clinicalDate: e.clinicalDate,
    recordedAt: e.recordedAt,
    coding: e.coding,
    title: e.title,
    text: fullText ? e.text : null,
    consultationId: e.consultationId,
    details,
  };
}

/**
 * The entries a patient may see, stripped for their level. Consultation entries go with their
 * consultation: when a consultation is hidden (draft, redacted, out of the date window or not
 * at this level), the entries made in it are hidden too, so nothing points at it.
 */
export function visibleRecord(entries: readonly RecordEntry[], access: RecordAccess): VisibleEntry[] {
  if (access.withheld || access.level === 'none') return [];
  const kinds = new Set(kindsFor(access.level));
  const passes = (e: RecordEntry) =>
    kinds.has(e.kind) && !neverShown(e) && (isSummaryInformation(e) || inDateWindow(e.recordedAt, access));
  const visibleConsultations = new Set<string>();
  for (const e of entries) if (e.kind === 'consultation' && passes(e)) visibleConsultations.add(e.id);
  const out: VisibleEntry[] = [];
  for (const e of entries) {
    if (!passes(e)) continue;
    if (e.consultationId !== null && !visibleConsultations.has(e.consultationId)) {
      // A coded entry from a hidden consultation is hidden with it; summary information stays.
      if (!isSummaryInformation(e)) continue;
      out.push({ ...strip(e, access.level), consultationId: null });
      continue;
    }
    out.push(strip(e, access.level));
  }
  return out;
}

// --- Presentation helpers (pure) ---------------------------------------------------------------

export const SECTION_ORDER: readonly { kind: EntryKind; slug: string; title: string; hint: string }[] = [
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

export function sectionBySlug(slug: string): (typeof SECTION_ORDER)[number] | undefined {
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

// --- Automatic prospective access (domain.md §1.4, §2.1) ---------------------------------------

export const CODE_ENHANCED_REVIEW = '1364731000000104';
export const CODE_NO_ENHANCED_REVIEW = '1364751000000106';
export const CODE_DECLINED = '1290331000000103';
export const ONLINE_ACCESS_CODES = [CODE_ENHANCED_REVIEW, CODE_NO_ENHANCED_REVIEW, CODE_DECLINED] as const;

export type AutomaticAccessOutcome = 'enable' | 'already-full' | 'under-16' | 'enhanced-review' | 'declined';

/**
 * Whether prospective full access switches on automatically (when an account is first linked,
 * at the 16th birthday, or by a practice's bulk action): not for under-16s, not when the patient
 * declined (103), not when the latest of 104/106 is a 104.
 */
export function automaticAccess(p: {
  birthDate: string;
  today: string;
  level: RecordLevel;
  codes: readonly { code: string; recordedAt: string }[];
}): AutomaticAccessOutcome {
  if (p.level === 'full') return 'already-full';
  if (ageOn(p.birthDate, p.today) < 16) return 'under-16';
  if (p.codes.some((c) => c.code === CODE_DECLINED)) return 'declined';
  const latest = [...p.codes]
    .filter((c) => c.code === CODE_ENHANCED_REVIEW || c.code === CODE_NO_ENHANCED_REVIEW)
    .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt))[0];
  if (latest?.code === CODE_ENHANCED_REVIEW) return 'enhanced-review';
  return 'enable';
}

function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** True on the day a person turns 16 (29 February birthdays count on 1 March in other years). */
export function turns16On(birthDate: string, today: string): boolean {
  return ageOn(birthDate, today) === 16 && ageOn(birthDate, previousDay(today)) === 15;
}

function previousDay(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
