// The facilitator workspace's view models, pure: the portfolio table, a practice's checklist,
// plan and history, and the forms' items.
import { CHECKLIST_ELEMENTS, CHECKLIST_STATUSES } from '../../platform/db/schema-programme.ts';
import type { ChecklistElement, OfferedService } from '../../platform/db/schema.ts';
import { countOf } from '../../platform/words.ts';
import { ELEMENT_LABELS, STATUS_LABELS, TARGET_SERVICES } from './rules.ts';
import type { portfolio, practiceWorkspace } from './service.ts';
import type { ChecklistRow, PlanRow } from './store.ts';

const SERVICE_NAMES: Record<OfferedService, string> = {
  appointments: 'Appointment booking',
  prescriptions: 'Repeat prescriptions',
  'detailed-coded-record': 'Record access',
  'summary-record': 'Summary record',
  'full-record': 'Full record',
};
const SOURCE_NAMES = { manual: 'Facilitator', platform: 'GP Online settings', pomi: 'POMI' } as const;
const TAG: Record<string, string> = {
  done: 'nhsuk-tag--green',
  'not-needed': 'nhsuk-tag--grey',
  'in-progress': 'nhsuk-tag--blue',
  'not-started': 'nhsuk-tag--white',
};

const DONE: Record<string, string> = {
  checklist: 'Checklist updated',
  plan: 'Transition plan saved',
  offering: 'Online service change recorded',
};
export const flashOf = (code: string | undefined) => (code ? (DONE[code] ?? null) : null);

const offeredText = (v: boolean | null | undefined) =>
  v === true ? 'Yes' : v === false ? 'No' : 'Not recorded';

function gapText(gap: number | null): string {
  if (gap === null) return 'Not known';
  return gap === 0 ? 'On target' : `${countOf(gap, 'service')} to go`;
}

export function portfolioPage(p: Awaited<ReturnType<typeof portfolio>>, order: 'readiness' | 'gap') {
  const { rows } = p;
  return {
    truncated: p.truncated,
    title: 'Your practices',
    caption: `${countOf(rows.length, 'practice')}, ${order === 'readiness' ? 'most ready first' : 'most still to do first'}`,
    order,
    services: TARGET_SERVICES.map((s) => SERVICE_NAMES[s]),
    rows: rows.map((r) => ({
      code: r.code,
      name: r.name,
      href: `/programme/practices/${encodeURIComponent(r.code)}`,
      readiness: `${String(r.readiness)} of ${String(CHECKLIST_ELEMENTS.length)}`,
      offered: TARGET_SERVICES.map((s) => offeredText(r.offered.get(s))),
      gap: gapText(r.gap),
      nextSteps: r.plan?.next_steps ?? null,
      handoverOn: r.plan?.handover_on ?? null,
      receivingOrg: r.plan?.receiving_org ?? null,
    })),
  };
}

const entryRow = (c: ChecklistRow) => ({
  element: ELEMENT_LABELS[c.element].name,
  status: STATUS_LABELS[c.status],
  onDate: c.on_date,
  owner: c.owner,
  notes: c.notes,
  at: c.recorded_at,
  by: c.recorded_by_name ?? 'The system',
});

const planRow = (p: PlanRow) => ({
  nextSteps: p.next_steps,
  receivingOrg: p.receiving_org,
  owner: p.owner,
  handoverOn: p.handover_on,
  handover: p.handover,
  at: p.recorded_at,
  by: p.recorded_by_name ?? 'The system',
});

export function practicePage(w: Awaited<ReturnType<typeof practiceWorkspace>>, flash: string | null) {
  const base = `/programme/practices/${encodeURIComponent(w.practice.code)}`;
  const current = new Map(w.checklist.map((c) => [c.element, c]));
  const done = w.checklist.filter((c) => c.status === 'done' || c.status === 'not-needed').length;
  return {
    title: `${w.practice.name} (${w.practice.code})`,
    backHref: '/programme/practices',
    flash,
    base,
    canChange: w.canChange,
    readiness: `${String(done)} of ${String(CHECKLIST_ELEMENTS.length)} elements done or not needed`,
    services: TARGET_SERVICES.map((s) => ({
      name: SERVICE_NAMES[s],
      offered: offeredText(w.offered.get(s)),
    })),
    checklist: CHECKLIST_ELEMENTS.map((e) => {
      const c = current.get(e);
      return {
        key: e,
        name: ELEMENT_LABELS[e].name,
        hint: ELEMENT_LABELS[e].hint,
        status: c ? STATUS_LABELS[c.status] : 'Not started',
        tagClass: TAG[c?.status ?? 'not-started'] ?? '',
        onDate: c?.on_date ?? null,
        owner: c?.owner ?? null,
        notes: c?.notes ?? null,
        href: `${base}/checklist/${e}`,
      };
    }),
    plan: w.plan ? planRow(w.plan) : null,
    history: w.history.map(entryRow),
    plans: w.plans.map(planRow),
    offerings: [...w.offerings].reverse().map((o) => ({
      service: SERVICE_NAMES[o.service],
      offered: o.offered ? 'Offered' : 'Not offered',
      from: o.effective_on,
      source: SOURCE_NAMES[o.source],
      note: o.note,
      by: o.recorded_by_name,
    })),
  };
}

export function checklistFormPage(
  practice: { code: string; name: string },
  element: ChecklistElement,
  values: Record<string, string | undefined>,
) {
  return {
    title: ELEMENT_LABELS[element].name,
    hint: ELEMENT_LABELS[element].hint,
    practice,
    action: `/programme/practices/${encodeURIComponent(practice.code)}/checklist/${element}`,
    backHref: `/programme/practices/${encodeURIComponent(practice.code)}`,
    firstField: 'status',
    statusItems: CHECKLIST_STATUSES.map((s) => ({
      value: s,
      text: STATUS_LABELS[s],
      checked: values.status === s,
    })),
    values,
  };
}

/** A stored day as the date input's three boxes. */
export function dateParts(name: string, day: string | null): Record<string, string> {
  if (!day) return {};
  const [y, m, d] = day.split('-');
  return { [`${name}[day]`]: d ?? '', [`${name}[month]`]: m ?? '', [`${name}[year]`]: y ?? '' };
}

export function checklistValues(c: ChecklistRow | undefined): Record<string, string> {
  if (!c) return { status: 'not-started' };
  return { status: c.status, owner: c.owner ?? '', notes: c.notes ?? '', ...dateParts('onDate', c.on_date) };
}

export function planFormPage(
  practice: { code: string; name: string },
  values: Record<string, string | undefined>,
) {
  return {
    title: 'Next steps and transition plan',
    practice,
    action: `/programme/practices/${encodeURIComponent(practice.code)}/plan`,
    backHref: `/programme/practices/${encodeURIComponent(practice.code)}`,
    firstField: 'nextSteps',
    values,
  };
}

export function planValues(p: PlanRow | null): Record<string, string> {
  if (!p) return {};
  return {
    nextSteps: p.next_steps ?? '',
    receivingOrg: p.receiving_org ?? '',
    owner: p.owner ?? '',
    handover: p.handover ?? '',
    ...dateParts('handoverOn', p.handover_on),
  };
}

export function offeringFormPage(
  practice: { code: string; name: string },
  values: Record<string, string | undefined>,
) {
  return {
    title: 'Record a change to an online service',
    practice,
    action: `/programme/practices/${encodeURIComponent(practice.code)}/offerings`,
    backHref: `/programme/practices/${encodeURIComponent(practice.code)}`,
    firstField: 'service',
    serviceItems: TARGET_SERVICES.map((s) => ({
      value: s,
      text: SERVICE_NAMES[s],
      checked: values.service === s,
    })),
    values,
  };
}
