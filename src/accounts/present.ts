// Pure view models of accounts: API bodies built from service results, and the page pieces
// (record levels, identity-check choices, the date fields of a settings form).
import type { RecordLevel } from '../platform/db/schema.ts';
import { formatDate } from '../platform/views/filters.ts';
import type { OnlineService, ServiceAccess, ServiceSettings, ServiceStatus } from './rules.ts';
import { BUILT_SERVICES, VERIFICATION_METHODS } from './rules.ts';
import type { PracticeContact } from './home-service.ts';
import type { PatientRow } from './store.ts';
import type { WhoAmI } from './patient-service.ts';
import type { patientForStaff } from './practice-service.ts';

export const RECORD_LEVELS = [
  { value: 'none', text: 'No record access' },
  { value: 'summary', text: 'Summary information', hint: 'Medicines, allergies and adverse reactions' },
  {
    value: 'detailed',
    text: 'Detailed coded record',
    hint: 'Adds problems, immunisations, test results, values, procedures, referrals and coded consultation entries',
  },
  { value: 'full', text: 'Full record', hint: 'Adds consultation free text and documents' },
] as const;

export type RecordLevelChoice = (typeof RECORD_LEVELS)[number]['value'];

export function isRecordLevelChoice(v: string): v is RecordLevelChoice {
  return RECORD_LEVELS.some((l) => l.value === v);
}

/** Proofing levels as staff read them, the NHS code kept in brackets. */
export const PROOFING_LABELS: Record<string, string> = {
  P0: 'Not checked (P0)',
  P5: 'Details matched to the practice record when linking (P5)',
  P9: 'Identity checked (P9)',
};

export function apiSettings(s: ServiceSettings) {
  return {
    appointments: s.appointments,
    repeat_prescriptions: s.repeatPrescriptions,
    record_level: s.recordLevel,
    prospective_from: s.prospectiveFrom,
    detailed_from: s.detailedFrom,
    full_from: s.fullFrom,
    record_level_by_hand: s.recordLevelByHand,
    historic_access: s.historicAccess,
    pharmacy_view: s.pharmacyView,
    pharmacy_update: s.pharmacyUpdate,
  };
}

export function apiPatient(p: PatientRow) {
  return {
    id: p.id,
    nhs_number: p.nhs_number,
    given_name: p.given_name,
    family_name: p.family_name,
    birth_date: p.birth_date,
    sex: p.sex,
    practice_ods: p.practice_ods,
  };
}

type PatientView = Awaited<ReturnType<typeof patientForStaff>>;

export function apiPatientView(v: PatientView) {
  return {
    ...apiPatient(v.patient),
    online_account: v.account
      ? {
          id: v.account.id,
          email: v.account.email,
          proofing_level: v.account.proofing_level,
          linked_at: v.account.linked_at,
        }
      : null,
    online_services: { ...apiSettings(v.settings), version: v.version },
    identity_verifications: v.verifications.map((x) => ({
      method: x.method,
      evidence: x.evidence,
      proofing_level: x.proofing_level,
      verified_at: x.verified_at,
      verified_by: x.verified_by_name,
    })),
    registration_letter_issued_at: v.letterIssuedAt,
  };
}

export function apiMe(me: WhoAmI) {
  if (me.kind === 'staff') {
    const s = me.staff;
    return {
      type: 'staff',
      id: s.staffId,
      email: s.email,
      name: s.name,
      role: s.role,
      practice_ods: s.practiceOds,
    };
  }
  const { patient: actor, home } = me;
  return {
    type: 'patient',
    id: actor.accountId,
    email: actor.email,
    proofing_level: actor.proofingLevel,
    linked: home.linked,
    patient: home.patient
      ? {
          given_name: home.patient.givenName,
          family_name: home.patient.familyName,
          nhs_number: home.patient.nhsNumber,
          birth_date: home.patient.birthDate,
          practice_ods: home.patient.practiceOds,
          practice_name: home.patient.practiceName,
        }
      : null,
    // Only services that exist in GP Online today, as on the home page.
    services: home.services
      .filter((s) => BUILT_SERVICES.includes(s.service))
      .map((s) => ({
        service: s.service,
        status: s.status,
        required_level: s.requiredLevel,
      })),
    record_level: home.settings.recordLevel,
  };
}

/** The identity-check methods as nhsuk radio items, one of them chosen. */
export function methodItems(selected: string) {
  return Object.entries(VERIFICATION_METHODS).map(([value, m]) => ({
    value,
    text: m.label,
    hint: { text: m.hint },
    checked: value === selected,
  }));
}

/** Settings as form values, the prospective start date split into the date input's three fields. */
export function settingsValues(s: ServiceSettings): Record<string, unknown> {
  const [y, m, d] = (s.prospectiveFrom ?? '').split('-');
  return { ...s, 'prospectiveFrom[day]': d, 'prospectiveFrom[month]': m, 'prospectiveFrom[year]': y };
}

// --- The patient home: only services that exist, each with a link or the way to ask for it ---

export type HomeService = {
  service: OnlineService;
  status: ServiceStatus;
  heading: string;
  /** Shown when the patient can use the service now. */
  link: { href: string; text: string } | null;
  text: string;
};

const SERVICE_PAGES: Partial<Record<OnlineService, { heading: string; href: string; text: string }>> = {
  record: { heading: 'Your GP record', href: '/patient/record', text: 'See your GP record' },
  appointments: {
    heading: 'Appointments',
    href: '/patient/appointments',
    text: 'Book or cancel an appointment',
  },
  'repeat-prescriptions': {
    heading: 'Repeat prescriptions',
    href: '/patient/prescriptions',
    text: 'Order a repeat prescription',
  },
  'pharmacy-view': {
    heading: 'Your pharmacy',
    href: '/patient/pharmacy',
    text: 'See your nominated pharmacy',
  },
};

const AVAILABLE_SENTENCE: Partial<Record<OnlineService, string>> = {
  appointments: 'You can book, check and cancel appointments online.',
  'repeat-prescriptions':
    'You can order your repeat medicines, see when each one can be ordered, and follow what happens to each request.',
  'pharmacy-view': 'You can see the pharmacy your prescriptions are sent to.',
};

const RECORD_LEVEL_SENTENCE: Record<RecordLevel, string> = {
  none: '',
  summary: 'You can see summary information: your medicines, allergies and adverse reactions.',
  detailed:
    'You can see your detailed coded record: medicines, allergies, problems, immunisations, test results, procedures, referrals and coded consultation entries.',
  full: 'You can see your full record, including what was written in consultations and documents.',
};

function contactPhrase(practice: PracticeContact | null): string {
  if (!practice) return 'contact your GP practice';
  return practice.phone ? `contact ${practice.name} on ${practice.phone}` : `contact ${practice.name}`;
}

/** The services a linked patient sees on their home page, built ones only (rules.BUILT_SERVICES). */
export function homeServices(
  services: readonly ServiceAccess[],
  settings: ServiceSettings,
  practice: PracticeContact | null,
  practiceOff: readonly OnlineService[] = [],
): HomeService[] {
  return BUILT_SERVICES.flatMap((name) => {
    const page = SERVICE_PAGES[name];
    const access = services.find((s) => s.service === name);
    if (!page || !access) return [];
    const ask = contactPhrase(practice);
    let text: string;
    if (access.status === 'available' && practiceOff.includes(name))
      return [
        {
          service: name,
          status: access.status,
          heading: page.heading,
          link: null,
          text: `Your practice is not offering this online at the moment. Instead, ${ask}.`,
        },
      ];
    if (access.status === 'available')
      text =
        name === 'record'
          ? RECORD_LEVEL_SENTENCE[settings.recordLevel]
          : name === 'pharmacy-view' && settings.pharmacyUpdate
            ? 'You can see and change the pharmacy your prescriptions are sent to.'
            : (AVAILABLE_SENTENCE[name] ?? '');
    else if (access.status === 'needs-identity-check')
      text = `Your practice has switched this on for you. Before you can use it, they need to check your identity: ${ask} and take photo ID, such as a passport or driving licence.`;
    else text = `Your practice has not switched this on for you. To ask for it, ${ask}.`;
    return [
      {
        service: name,
        status: access.status,
        heading: page.heading,
        link: access.status === 'available' ? { href: page.href, text: page.text } : null,
        text,
      },
    ];
  });
}

// --- Online-services history in plain English (defect 10: it showed `recordLevel none → detailed`) ---

const SWITCHES: Record<string, string> = {
  appointments: 'Booking and cancelling appointments',
  repeatPrescriptions: 'Ordering repeat prescriptions',
  historicAccess: 'Historic access',
  pharmacyView: 'Seeing the nominated pharmacy',
  pharmacyUpdate: 'Changing the nominated pharmacy',
};

const DATES: Record<string, string> = {
  prospectiveFrom: 'Prospective access start date',
  detailedFrom: 'Detailed coded record start date',
  fullFrom: 'Full record start date',
};

/** A record level in the words of the settings page ("summary information"), lower case mid-sentence. */
function levelWords(level: unknown): string {
  const found = RECORD_LEVELS.find((l) => l.value === level);
  const text = found ? found.text : 'no record access';
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function dateWords(value: unknown): string {
  return typeof value === 'string' && value ? formatDate(value) : 'not set';
}

/** One change of online-services settings as a sentence a member of staff reads. */
export function settingChange(key: string, change: { from: unknown; to: unknown }): string {
  const switchName = SWITCHES[key];
  if (switchName) return `${switchName} switched ${change.to ? 'on' : 'off'}`;
  const dateName = DATES[key];
  if (dateName) return `${dateName} changed from ${dateWords(change.from)} to ${dateWords(change.to)}`;
  if (key === 'recordLevel')
    return `Record access changed from ${levelWords(change.from)} to ${levelWords(change.to)}`;
  if (key === 'historicLevel')
    return change.to
      ? `Historic access given at the level of ${levelWords(change.to)}`
      : 'Historic access level cleared';
  if (key === 'recordLevelByHand')
    return change.to
      ? 'Record access level set by a member of staff (automatic access will not change it)'
      : 'Record access level left to automatic access';
  return 'Another setting changed';
}

type HistoryRow = {
  version: number;
  changed: Record<string, { from: unknown; to: unknown }>;
  reason: string | null;
  changed_at: Date;
  changed_by_name: string | null;
};

/** The history list on the staff patient page: who changed what, in sentences. */
export function historyRows(history: readonly HistoryRow[]) {
  return history.map((h) => ({
    version: h.version,
    changedAt: h.changed_at,
    by: h.changed_by_name ?? 'GP Online (automatic)',
    changes: Object.entries(h.changed).map(([k, c]) => settingChange(k, c)),
    reason: h.reason,
  }));
}
