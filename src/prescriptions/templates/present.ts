// View models of the practice's repeat pages: a patient's repeats, one repeat with its forms, a
// new repeat from a record medicine, and the settings. Pure: no HTML, no I/O.
import { quantityText as countedQuantity } from '../../record/index.ts';
import type { TemplateStatus } from '../../platform/db/schema.ts';
import { formatDate, formatDateTime } from '../../platform/views/filters.ts';
import type { FormBody } from '../../platform/views/forms.ts';
import { countOf } from '../../platform/words.ts';
import type { StoredSettings } from '../settings-store.ts';
import type { Repeat, RepeatChange, RepeatIssue } from './model.ts';
import type { PatientRepeats, RepeatDetail } from './service.ts';

type Patient = PatientRepeats['patient'];

const TYPE: Record<string, string> = {
  repeat: 'Repeat',
  'repeat-dispensing': 'Repeat dispensing (electronic batch)',
  acute: 'Acute: shown to the patient, never orderable online',
};
const STATUS: Record<TemplateStatus, { text: string; classes: string }> = {
  active: { text: 'Active', classes: 'nhsuk-tag--green' },
  suspended: { text: 'Suspended', classes: 'nhsuk-tag--orange' },
  ended: { text: 'Ended', classes: 'nhsuk-tag--grey' },
};
const ACTION: Record<string, string> = {
  created: 'Created',
  changed: 'Changed',
  reauthorised: 'Re-authorised',
  suspended: 'Suspended',
  resumed: 'Resumed',
  ended: 'Ended',
};
const FIELD: Record<string, string> = {
  dosage: 'Dose',
  quantity: 'Quantity',
  quantityUnit: 'Unit',
  daysPerIssue: 'Days each issue',
  issuesAuthorised: 'Issues authorised',
  issuesMade: 'Issues made',
  reviewDate: 'Review date',
  repeatUntil: 'Repeat until',
  onlineOrderable: 'Orderable online',
  authoriserName: 'Authorised by',
  status: 'Status',
};

const DONE: Record<string, string> = {
  created: 'The repeat was created.',
  changed: 'The repeat was changed.',
  reauthorised: 'The repeat was re-authorised.',
  suspended: 'The repeat was suspended.',
  resumed: 'The repeat was resumed.',
  ended: 'The repeat was ended.',
  settings: 'The prescription settings were saved.',
};
export function doneText(code: string | undefined): string | null {
  return (code && DONE[code]) ?? null;
}

function valueText(key: string, v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (key === 'reviewDate' || key === 'repeatUntil') return formatDate(v);
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** What a change changed, one "Field: before to after" per field. */
export function changeSummary(c: Pick<RepeatChange, 'before' | 'after'>): string[] {
  if (!c.before) return [];
  const before = c.before;
  return Object.keys(FIELD)
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(c.after[k]))
    .map((k) => `${FIELD[k] ?? k}: ${valueText(k, before[k])} to ${valueText(k, c.after[k])}`);
}

export function issuesText(r: Pick<Repeat, 'issuesMade' | 'issuesAuthorised'>): string {
  return `${String(r.issuesMade)} of ${countOf(r.issuesAuthorised, 'issue')} made`;
}

function summaryRows(r: Repeat) {
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  return [
    row('Type', TYPE[r.prescriptionType] ?? r.prescriptionType),
    row('dm+d code', r.dmdCode ?? 'Not coded'),
    row('Dose and directions', r.dosage),
    row(
      'Quantity',
      `${countedQuantity(r.quantity, r.quantityUnit) ?? ''}, lasting ${countOf(r.daysPerIssue, 'day')}`,
    ),
    row('Issues', issuesText(r)),
    row('Last issued', r.lastIssuedAt ? formatDateTime(r.lastIssuedAt) : 'Not issued yet'),
    row('Review date', r.reviewDate ? formatDate(r.reviewDate) : 'None set'),
    row('Repeat until', r.repeatUntil ? formatDate(r.repeatUntil) : 'None set'),
    row('Orderable online', r.onlineOrderable ? 'Yes' : 'No'),
    row('Authorised by', `${r.authoriserName} on ${formatDate(r.authorisedOn)}`),
    row('Status', r.statusReason ? `${STATUS[r.status].text}: ${r.statusReason}` : STATUS[r.status].text),
  ];
}

function historyRows(changes: RepeatChange[]) {
  return changes.map((c) => [
    { text: formatDateTime(c.changedAt) },
    { text: ACTION[c.action] ?? c.action },
    { text: changeSummary(c).join('; ') || '–' },
    { text: c.reason ?? '–' },
    { text: c.changedBy ?? 'Unknown' },
  ]);
}

function issueRows(issues: RepeatIssue[]) {
  return issues.map((i) => [
    { text: formatDateTime(i.issuedAt) },
    { text: `${i.drugName}: ${i.dosage}` },
    { text: `${countedQuantity(i.quantity, i.quantityUnit) ?? ''}, ${countOf(i.daysSupply, 'day')}` },
    { text: i.prescriberName },
  ]);
}

function repeatCard(r: Repeat, changes: RepeatChange[], issues: RepeatIssue[]) {
  return {
    id: r.id,
    heading: r.drugName,
    tag: STATUS[r.status],
    rows: summaryRows(r),
    history: historyRows(changes.filter((c) => c.templateId === r.id)),
    issues: issueRows(issues.filter((i) => i.templateId === r.id)),
  };
}

function patientHeader(p: Patient) {
  return { id: p.id, name: `${p.given_name} ${p.family_name}`, nhsNumber: p.nhs_number };
}

export function repeatsPage(p: PatientRepeats, query: { done?: string | undefined }) {
  const patient = patientHeader(p.patient);
  return {
    title: `Repeat prescriptions for ${patient.name}`,
    patient,
    flash: doneText(query.done),
    canManage: p.canManage,
    cards: p.repeats.map((r) => repeatCard(r, p.changes, p.issues)),
    medicines: p.medicines.map((m) => ({
      entryId: m.entryId,
      name: m.name,
      details: [m.dosage, countedQuantity(m.quantity, m.quantityUnit)].filter(Boolean).join(', '),
      repeatId: m.repeatId,
    })),
  };
}

export function repeatPage(d: RepeatDetail, query: { done?: string | undefined }) {
  const patient = patientHeader(d.patient);
  const r = d.repeat;
  return {
    title: r.drugName,
    patient,
    flash: doneText(query.done),
    canManage: d.canManage && r.status !== 'ended',
    repeat: r,
    view: repeatCard(r, d.changes, d.issues),
    statusItems: [
      ...(r.status === 'active'
        ? [{ value: 'suspend', text: 'Suspend: the patient cannot order it until it is resumed' }]
        : []),
      ...(r.status === 'suspended' ? [{ value: 'resume', text: 'Resume' }] : []),
      { value: 'end', text: 'End: it is no longer prescribed' },
    ],
    current: changeValues(r),
  };
}

/** The change form's values from the repeat as it is. */
export function changeValues(r: Repeat): FormBody {
  return {
    version: String(r.version),
    dosage: r.dosage,
    quantity: String(r.quantity),
    quantityUnit: r.quantityUnit,
    daysPerIssue: String(r.daysPerIssue),
    reviewDate: r.reviewDate ?? '',
    repeatUntil: r.repeatUntil ?? '',
    onlineOrderable: r.onlineOrderable ? 'yes' : 'no',
  };
}

export function settingsPage(
  s: StoredSettings & { canChange: boolean },
  query: { done?: string | undefined },
) {
  return {
    title: 'Repeat prescription settings',
    flash: doneText(query.done),
    canChange: s.canChange,
    current: {
      version: String(s.version),
      onlineOrdering: s.onlineOrdering ? 'yes' : 'no',
      turnaroundDays: String(s.turnaroundDays),
      orderWindowDays: String(s.orderWindowDays),
      earlyReasonRequired: s.earlyReasonRequired ? 'yes' : 'no',
    },
    savedAt: s.updatedAt,
  };
}
