// Pure rules for patients and their online accounts: proofing levels and what they
// allow, registration-letter codes, linking checks and online-service settings. No I/O.
import type { ProofingLevel, RecordLevel, VerificationMethod } from '../platform/db/schema.ts';
import { normaliseCode } from '../platform/auth/secrets.ts';
import { isIsoDate } from '../platform/dates.ts';
import type { FieldError } from '../platform/http/errors.ts';
import type { AuditActor } from '../platform/audit/audit.ts';

// --- Proofing levels and what they allow (domain.md §4.2) -------------------------------------

const LEVEL_RANK: Record<ProofingLevel, number> = { P0: 0, P5: 5, P9: 9 };

export function meetsLevel(have: ProofingLevel, need: ProofingLevel): boolean {
  return LEVEL_RANK[have] >= LEVEL_RANK[need];
}

export function higherLevel(a: ProofingLevel, b: ProofingLevel): ProofingLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

export type OnlineService =
  'appointments' | 'repeat-prescriptions' | 'record' | 'pharmacy-view' | 'pharmacy-update';

/**
 * The proofing level each service needs. P5 (details matched to the practice record when linking)
 * is enough to manage appointments and see the nominated pharmacy; anything that reads the record,
 * orders medicines or changes where they go needs P9 (a photo-ID or vouching check).
 */
export const REQUIRED_LEVEL: Record<OnlineService, ProofingLevel> = {
  appointments: 'P5',
  'pharmacy-view': 'P5',
  'repeat-prescriptions': 'P9',
  record: 'P9',
  'pharmacy-update': 'P9',
};

export const SERVICE_LABEL: Record<OnlineService, string> = {
  appointments: 'Book and cancel appointments',
  'repeat-prescriptions': 'Order repeat prescriptions',
  record: 'See your GP record',
  'pharmacy-view': 'See your nominated pharmacy',
  'pharmacy-update': 'Change your nominated pharmacy',
};

/**
 * The services a patient can use in GP Online today, in the order the home page lists them.
 * Changing the nominated pharmacy is part of the pharmacy page, so it has no card of its own.
 */
export const BUILT_SERVICES: readonly OnlineService[] = [
  'record',
  'appointments',
  'repeat-prescriptions',
  'pharmacy-view',
  'pharmacy-update',
];

export type ServiceSettings = {
  appointments: boolean;
  repeatPrescriptions: boolean;
  recordLevel: RecordLevel;
  /** Medicines and allergies shown from this England day (prospective access began). */
  prospectiveFrom: string | null;
  /** The rest of the coded record from this day: the day detailed access began (kept by the rules). */
  detailedFrom: string | null;
  /** Free text and documents from this day: the day full access began (kept by the rules). */
  fullFrom: string | null;
  historicAccess: boolean;
  /** The level historic access was granted at: a level raised later does not open older information of the new level. */
  historicLevel: Exclude<RecordLevel, 'none'> | null;
  /** The record level was last set by a member of staff (automatic access by linking or bulk leaves it). */
  recordLevelByHand: boolean;
  pharmacyView: boolean;
  pharmacyUpdate: boolean;
};

export const NO_SERVICES: ServiceSettings = {
  appointments: false,
  repeatPrescriptions: false,
  recordLevel: 'none',
  prospectiveFrom: null,
  detailedFrom: null,
  fullFrom: null,
  historicAccess: false,
  historicLevel: null,
  recordLevelByHand: false,
  pharmacyView: false,
  pharmacyUpdate: false,
};

export type ServiceStatus = 'available' | 'not-switched-on' | 'needs-identity-check' | 'needs-linking';

export type ServiceAccess = {
  service: OnlineService;
  label: string;
  status: ServiceStatus;
  requiredLevel: ProofingLevel;
};

function switchedOn(settings: ServiceSettings, service: OnlineService): boolean {
  switch (service) {
    case 'appointments':
      return settings.appointments;
    case 'repeat-prescriptions':
      return settings.repeatPrescriptions;
    case 'record':
      return settings.recordLevel !== 'none';
    case 'pharmacy-view':
      return settings.pharmacyView || settings.pharmacyUpdate;
    case 'pharmacy-update':
      return settings.pharmacyUpdate;
  }
}

/** What an account may use: the practice must have switched the service on and the account's level must be enough. */
export function serviceAccess(
  account: { linked: boolean; proofingLevel: ProofingLevel },
  settings: ServiceSettings,
): ServiceAccess[] {
  return (Object.keys(REQUIRED_LEVEL) as OnlineService[]).map((service) => {
    const requiredLevel = REQUIRED_LEVEL[service];
    let status: ServiceStatus;
    if (!account.linked) status = 'needs-linking';
    else if (!switchedOn(settings, service)) status = 'not-switched-on';
    else if (!meetsLevel(account.proofingLevel, requiredLevel)) status = 'needs-identity-check';
    else status = 'available';
    return { service, label: SERVICE_LABEL[service], status, requiredLevel };
  });
}

export function canUse(
  account: { linked: boolean; proofingLevel: ProofingLevel },
  settings: ServiceSettings,
  service: OnlineService,
): boolean {
  return serviceAccess(account, settings).find((s) => s.service === service)?.status === 'available';
}

// --- Identity verification (domain.md §4.1) ---------------------------------------------------

export const VERIFICATION_METHODS: Record<VerificationMethod, { label: string; hint: string; level: 'P9' }> =
  {
    'photo-documents': {
      label: 'Identity documents',
      hint: 'Two documents, at least one with a photo (for example a passport or photo driving licence).',
      level: 'P9',
    },
    vouching: {
      label: 'Vouching',
      hint: 'A member of staff who knows the patient well confirms who they are.',
      level: 'P9',
    },
    'vouching-with-confirmation': {
      label: 'Vouching with confirmation of information in the record',
      hint: 'The patient answers questions only they could answer from their record, asked discreetly.',
      level: 'P9',
    },
    'nhs-login-p9': {
      label: 'NHS login (P9, high)',
      hint: 'The patient has proved their identity with NHS login to the high level.',
      level: 'P9',
    },
  };

export function isVerificationMethod(v: string): v is VerificationMethod {
  return Object.hasOwn(VERIFICATION_METHODS, v);
}

// --- Registration letters: Account ID and Linkage Key (domain.md §4.3) ------------------------

export const LINKAGE_KEY_LENGTH = 15;

/** Shown in groups of five so it is easy to copy from paper: ABCDE-FGHJK-LMNPQ. */
export function formatLinkageKey(key: string): string {
  return key.match(/.{1,5}/g)?.join('-') ?? key;
}

function comparableName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Linking needs the surname and date of birth to match the practice record (case, accents, spaces and hyphens aside). */
export function detailsMatch(
  given: { surname: string; birthDate: string },
  record: { familyName: string; birthDate: string },
): boolean {
  return (
    comparableName(given.surname) === comparableName(record.familyName) &&
    given.birthDate === record.birthDate
  );
}

// --- Online-service settings changes ----------------------------------------------------------

export type SettingsChange = Record<string, { from: unknown; to: unknown }>;

/**
 * Tidies a requested settings change: without record access there is no prospective date or
 * historic access; switching record access on starts prospective access today unless a date is given.
 */
/** Record levels in order: each shows all of the one before. */
export const RECORD_LEVEL_RANK: Record<RecordLevel, number> = { none: 0, summary: 1, detailed: 2, full: 3 };

/**
 * Keeps the record start dates true to the level (domain.md §1.3). Raising the level starts
 * prospective access to the newly shown information on `today` (the day of the change, or the
 * 16th birthday), never at a date kept from a lower level; information already shown keeps its
 * date; lowering the level clears the dates above it. A start date staff enter in the change
 * itself (a new prospective-from date) is their decision and applies to every level held.
 */
export function normaliseSettings(
  next: ServiceSettings,
  previous: ServiceSettings,
  today: string,
): ServiceSettings {
  if (next.recordLevel === 'none')
    return {
      ...next,
      prospectiveFrom: null,
      detailedFrom: null,
      fullFrom: null,
      historicAccess: false,
      historicLevel: null,
    };
  const chosen =
    next.prospectiveFrom !== null && next.prospectiveFrom !== previous.prospectiveFrom
      ? next.prospectiveFrom
      : null;
  const rank = RECORD_LEVEL_RANK[next.recordLevel];
  const before = RECORD_LEVEL_RANK[previous.recordLevel];
  const dateFor = (tierRank: number, kept: string | null): string | null => {
    if (rank < tierRank) return null;
    if (chosen) return chosen;
    return before >= tierRank && kept ? kept : today;
  };
  // Historic access covers the levels held when it was granted; lowering the level narrows it.
  const historicLevel: ServiceSettings['historicLevel'] = !next.historicAccess
    ? null
    : previous.historicAccess
      ? lowerLevel(previous.historicLevel ?? nonNone(previous.recordLevel), next.recordLevel)
      : next.recordLevel;
  return {
    ...next,
    prospectiveFrom: dateFor(1, previous.prospectiveFrom),
    detailedFrom: dateFor(2, previous.detailedFrom),
    fullFrom: dateFor(3, previous.fullFrom),
    historicLevel,
  };
}

function nonNone(level: RecordLevel): Exclude<RecordLevel, 'none'> {
  return level === 'none' ? 'summary' : level;
}

function lowerLevel(
  a: Exclude<RecordLevel, 'none'>,
  b: Exclude<RecordLevel, 'none'>,
): Exclude<RecordLevel, 'none'> {
  return RECORD_LEVEL_RANK[a] <= RECORD_LEVEL_RANK[b] ? a : b;
}

/**
 * Does `next` show any level's information from an earlier date than `usual` (the same change
 * without a typed start date)? Then the typed date gives older records, which needs a review.
 */
export function opensEarlier(usual: ServiceSettings, next: ServiceSettings): boolean {
  return (['prospectiveFrom', 'detailedFrom', 'fullFrom'] as const).some((k) => {
    const n = next[k];
    const u = usual[k];
    return n !== null && (u === null || n < u);
  });
}

export function diffSettings(before: ServiceSettings, after: ServiceSettings): SettingsChange {
  const out: SettingsChange = {};
  for (const key of Object.keys(after) as (keyof ServiceSettings)[]) {
    if (before[key] !== after[key]) out[key] = { from: before[key], to: after[key] };
  }
  return out;
}

// --- Sign-up ----------------------------------------------------------------------------------

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN) return `Password must be ${PASSWORD_MIN} characters or more`;
  if (password.length > PASSWORD_MAX) return `Password must be ${PASSWORD_MAX} characters or fewer`;
  if (email && password.toLowerCase().includes(email.toLowerCase().split('@')[0] ?? '\u0000')) {
    return 'Password must not contain your email address';
  }
  return null;
}

export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254;
}

export { ageOn, isIsoDate } from '../platform/dates.ts';

/** What a patient types from their registration letter to link their account. */
export type LinkInput = {
  odsCode: string;
  accountRef: string;
  linkageKey: string;
  surname: string;
  birthDate: string;
};

/** A registration letter's details as typed, normalised, with what is wrong with them. */
export function readLetter(input: LinkInput): {
  ods: string;
  ref: string;
  key: string;
  problems: FieldError[];
} {
  const problems: FieldError[] = [];
  const ods = input.odsCode.trim().toUpperCase();
  const ref = input.accountRef.replace(/\s/g, '');
  const key = normaliseCode(input.linkageKey);
  if (!/^[A-Z0-9]{3,8}$/.test(ods))
    problems.push({ field: 'odsCode', message: 'Enter the practice code from your letter, like P81046' });
  if (!/^\d{6,12}$/.test(ref))
    problems.push({ field: 'accountRef', message: 'Enter the Account ID from your letter (numbers only)' });
  if (key.length !== LINKAGE_KEY_LENGTH)
    problems.push({
      field: 'linkageKey',
      message: `Enter the ${LINKAGE_KEY_LENGTH}-character Linkage Key from your letter`,
    });
  if (!input.surname.trim()) problems.push({ field: 'surname', message: 'Enter your surname' });
  if (!isIsoDate(input.birthDate))
    problems.push({ field: 'birthDate', message: 'Enter your date of birth, for example 15 3 1984' });
  return { ods, ref, key, problems };
}

/** The holder of an account, as the audit names them before (or while) they sign in. */
export const accountHolder = (accountId: string): AuditActor => ({
  type: 'patient',
  id: accountId,
  role: 'patient',
});
