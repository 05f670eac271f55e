// The one access rule for the GP record (domain.md §1.2, §1.3, §2). Every output that shows
// entries — pages, print, JSON, FHIR export — gets them from visibleRecord(). Hidden entries
// leave no trace: they are dropped before anything is counted, grouped or numbered.
import type { RecordLevel } from '../../platform/db/schema.ts';
import { startOfEnglandDay } from '../../platform/dates.ts';
import { RECORD_LEVEL_RANK } from '../../accounts/index.ts';
import { ONLINE_ACCESS_CODES } from './automatic-rules.ts';
import type { Coding, EntryDetails, EntryKind, Measurement, RecordAccess, RecordEntry } from '../model.ts';

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
 * Which level first shows an entry kind: medicines and allergies are summary information, the
 * rest of the coded record comes with detailed access, documents (like free text) with full.
 */
export type Tier = Exclude<RecordLevel, 'none'>;
export function tierOf(kind: EntryKind): Tier {
  if (kind === 'medication' || kind === 'allergy') return 'summary';
  return kind === 'document' ? 'full' : 'detailed';
}

/**
 * Does historic access open this tier's older information? Only for the levels held when it was
 * granted, and only once a whole-record review is recorded (domain.md §1.3, §2.2).
 */
export function historicCovers(
  access: Pick<RecordAccess, 'historicAccess' | 'historicLevel' | 'reviewedAt'>,
  tier: Tier,
): boolean {
  return (
    access.historicAccess &&
    access.reviewedAt !== null &&
    RECORD_LEVEL_RANK[access.historicLevel ?? 'none'] >= RECORD_LEVEL_RANK[tier]
  );
}

/** The prospective start date of a tier's information (null: none of it is shown by date). */
export function tierFrom(
  access: Pick<RecordAccess, 'prospectiveFrom' | 'detailedFrom' | 'fullFrom'>,
  tier: Tier,
): string | null {
  if (tier === 'summary') return access.prospectiveFrom;
  return tier === 'detailed' ? access.detailedFrom : access.fullFrom;
}

/**
 * Summary information — current medicines, allergies and adverse reactions — is shown whatever
 * its date; everything else follows prospective and historic access.
 */
export function isSummaryInformation(e: Pick<RecordEntry, 'kind' | 'details'>): boolean {
  if (e.kind === 'allergy') return true;
  return e.kind === 'medication' && e.details.kind === 'medication' && e.details.status === 'current';
}

/**
 * Is an entry recorded at `recordedAt` inside a window that starts on England's day `from`
 * (prospective access), or is every date open (historic access)? The window opens at local
 * midnight: 00:30 in summer time on the start day is inside, 23:59 the day before is not.
 */
export function inDateWindow(recordedAt: string, from: string | null, historicAccess: boolean): boolean {
  if (historicAccess) return true;
  if (!from) return false;
  return Date.parse(recordedAt) >= startOfEnglandDay(from).getTime();
}

/**
 * The codes that steer online access (104, 106, 103) are the practice's working notes: never
 * shown to the patient or a proxy, whatever the level. Matched by code and, for entries typed
 * without the code, by the terms' words.
 */
const ACCESS_CODE_WORDS =
  /online access to own health record|review (?:not )?indicated before granting access/i;
export function isAccessControlEntry(e: Pick<RecordEntry, 'coding' | 'title'>): boolean {
  return (
    e.coding.some(
      (c) =>
        (ONLINE_ACCESS_CODES as readonly string[]).includes(c.code) ||
        ACCESS_CODE_WORDS.test(c.display ?? ''),
    ) || ACCESS_CODE_WORDS.test(e.title)
  );
}

/** Never shown online, whatever the level (GP Connect PFS; NHS England redaction guidance). */
export function neverShown(
  e: Pick<RecordEntry, 'draft' | 'unfiled' | 'unreviewed' | 'visibleOnline' | 'coding' | 'title'>,
): boolean {
  return e.draft || e.unfiled || e.unreviewed || !e.visibleOnline || isAccessControlEntry(e);
}

/** What a database query may prefilter on: a plan derived from the same rules, never a substitute for them. */
export type AccessPlan = {
  none: boolean;
  kinds: readonly EntryKind[];
  /** The instant each tier's window opens (ISO), or null when that tier shows nothing by date. */
  from: Record<Tier, string | null>;
  /** Tiers whose older entries historic access opens: those that arrived by `reviewedAt`. */
  historic: Record<Tier, boolean>;
  reviewedAt: string | null;
};

export function accessPlan(access: RecordAccess): AccessPlan {
  const none = access.withheld || access.level === 'none';
  const open = (tier: Tier) => {
    const day = tierFrom(access, tier);
    return day ? startOfEnglandDay(day).toISOString() : null;
  };
  return {
    none,
    kinds: none ? [] : kindsFor(access.level),
    from: { summary: open('summary'), detailed: open('detailed'), full: open('full') },
    historic: {
      summary: historicCovers(access, 'summary'),
      detailed: historicCovers(access, 'detailed'),
      full: historicCovers(access, 'full'),
    },
    reviewedAt: access.reviewedAt,
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

/** Interpretation flags that are codes (HL7 v3 ObservationInterpretation); anything else is text. */
const INTERPRETATION_CODES = new Set([
  'H',
  'HH',
  'HU',
  'L',
  'LL',
  'LU',
  'N',
  'A',
  'AA',
  'POS',
  'NEG',
  'IND',
  'DET',
  'ND',
]);

function codedMeasurement<M extends Measurement>(m: M): M {
  return {
    ...m,
    valueText: m.valueCoded === true ? m.valueText : null,
    interpretation:
      m.interpretation !== null && INTERPRETATION_CODES.has(m.interpretation.toUpperCase())
        ? m.interpretation
        : null,
  };
}

/** The details with every free-text field emptied: what the coded record says of an entry. */
function codedDetails(d: EntryDetails): EntryDetails {
  switch (d.kind) {
    case 'result':
    case 'value':
      return {
        ...d,
        measurement: d.measurement ? codedMeasurement(d.measurement) : null,
        components: d.components.map((c) => ({
          ...codedMeasurement(c),
          name: c.nameCoded === true ? c.name : 'Component',
        })),
      };
    case 'document':
      return { ...d, content: null };
    default:
      // Problems, medicines (dosage is the prescription's instruction, part of summary
      // information), allergies (coded reactions only), immunisations, procedures, referrals
      // and consultations (who, where, what type) hold no narrative.
      return d;
  }
}

/**
 * The title the coded record gives an entry: the code's display, not text typed with it.
 * Medicines and allergies keep their name (summary information); another entry with no display
 * to show is not part of the coded record, so it is not shown without free text.
 */
function codedTitle(e: RecordEntry): string | null {
  const display = e.coding.find((c) => c.display)?.display ?? null;
  if (display) return display;
  if (e.kind === 'medication' || e.kind === 'allergy') return e.title;
  // A code with no display still records that something happened: say what kind of thing.
  return e.coding.length > 0 ? KIND_LABEL[e.kind] : null;
}

const KIND_LABEL: Record<EntryKind, string> = {
  problem: 'Health condition',
  medication: 'Medicine',
  allergy: 'Allergy or adverse reaction',
  immunisation: 'Vaccination',
  result: 'Test result',
  value: 'Measurement',
  procedure: 'Procedure',
  referral: 'Referral',
  consultation: 'Consultation',
  document: 'Document',
  administrative: 'Other information',
};

function strip(e: RecordEntry, freeText: boolean): VisibleEntry | null {
  const title = freeText ? e.title : codedTitle(e);
  if (title === null) return null;
  return {
    id: e.id,
    kind: e.kind,
    clinicalDate: e.clinicalDate,
    recordedAt: e.recordedAt,
    coding: e.coding,
    title,
    text: freeText ? e.text : null,
    consultationId: e.consultationId,
    details: freeText ? e.details : codedDetails(e.details),
  };
}

/**
 * The entries a patient may see, stripped for their level. Consultation entries go with their
 * consultation: when a consultation is hidden (draft, redacted, out of the date window or not
 * at this level), the entries made in it are hidden too, so nothing points at it; summary
 * information kept from it loses every word of free text.
 */
export function visibleRecord(entries: readonly RecordEntry[], access: RecordAccess): VisibleEntry[] {
  if (access.withheld || access.level === 'none') return [];
  const kinds = new Set(kindsFor(access.level));
  const fullLevel = showsFreeText(access.level);
  const reviewedAt = access.reviewedAt === null ? -Infinity : Date.parse(access.reviewedAt);
  // Historic access opens older entries of the levels it covers that had arrived by the review.
  const older = (e: RecordEntry, tier: Tier) =>
    historicCovers(access, tier) && Date.parse(e.importedAt) <= reviewedAt;
  const passes = (e: RecordEntry) => {
    if (!kinds.has(e.kind) || neverShown(e)) return false;
    if (isSummaryInformation(e)) return true;
    const tier = tierOf(e.kind);
    return inDateWindow(e.recordedAt, tierFrom(access, tier), older(e, tier));
  };
  // Free text is full-record information: shown from the full level's own start date.
  const freeTextOf = (e: RecordEntry) =>
    fullLevel && inDateWindow(e.recordedAt, access.fullFrom, older(e, 'full'));
  const visibleConsultations = new Set<string>();
  for (const e of entries) if (e.kind === 'consultation' && passes(e)) visibleConsultations.add(e.id);
  const out: VisibleEntry[] = [];
  for (const e of entries) {
    if (!passes(e)) continue;
    if (e.consultationId !== null && !visibleConsultations.has(e.consultationId)) {
      // A coded entry from a hidden consultation is hidden with it; summary information stays,
      // without any text that came from the consultation.
      if (!isSummaryInformation(e)) continue;
      const kept = strip(e, false);
      if (kept) out.push({ ...kept, consultationId: null });
      continue;
    }
    const shown = strip(e, freeTextOf(e));
    if (shown) out.push(shown);
  }
  return out;
}
