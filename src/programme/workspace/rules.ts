// The facilitator workspace, pure: the checklist's elements (the 2013 report's key elements for
// moving a practice to online services), readiness, the gap to target, and what a form may hold.
import { isIsoDate } from '../../platform/dates.ts';
import {
  CHECKLIST_ELEMENTS,
  CHECKLIST_STATUSES,
  type ChecklistElement,
  type ChecklistStatus,
} from '../../platform/db/schema-programme.ts';
import type { FieldError } from '../../platform/http/errors.ts';

export const ELEMENT_LABELS: Record<ChecklistElement, { name: string; hint: string }> = {
  'patient-involvement': {
    name: 'Patient involvement',
    hint: 'Patients, and the patient participation group, engaged in planning',
  },
  'clinical-champion': { name: 'Clinical champion', hint: 'A GP or nurse who leads it in the practice' },
  'executive-support': { name: 'Executive support', hint: 'The partners and practice manager back it' },
  funding: { name: 'Funding', hint: 'Money or time agreed for set-up, for example from the CCG' },
  toolkit: { name: 'Toolkit used', hint: 'The implementation toolkit worked through' },
  'staff-trained': {
    name: 'Staff trained',
    hint: 'Reception and clinical staff know the services and the checks',
  },
  awareness: {
    name: 'Awareness raised among patients',
    hint: 'Posters, website, leaflets, the prescription slip',
  },
  'early-adopters': {
    name: 'Early adopters recruited',
    hint: 'Patients who use it and will talk to other patients and clinicians',
  },
  'diary-time': { name: 'Diary time set aside', hint: 'Protected time in the diary for implementation' },
};

export const STATUS_LABELS: Record<ChecklistStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
  'not-needed': 'Not needed',
};

export const isElement = (v: string): v is ChecklistElement =>
  (CHECKLIST_ELEMENTS as readonly string[]).includes(v);
const isStatus = (v: string): v is ChecklistStatus => (CHECKLIST_STATUSES as readonly string[]).includes(v);

/** Elements done or not needed, of all nine: how ready the practice is. */
export function readiness(statuses: ReadonlyMap<ChecklistElement, ChecklistStatus>): number {
  let n = 0;
  for (const e of CHECKLIST_ELEMENTS) {
    const s = statuses.get(e);
    if (s === 'done' || s === 'not-needed') n++;
  }
  return n;
}

/** The target: booking, repeat prescriptions and record access all offered. */
export const TARGET_SERVICES = ['appointments', 'prescriptions', 'detailed-coded-record'] as const;
export type TargetService = (typeof TARGET_SERVICES)[number];

/** Services of the target not offered; null when nothing is recorded for any of them. */
export function gapToTarget(offered: ReadonlyMap<TargetService, boolean | null>): number | null {
  const known = TARGET_SERVICES.map((s) => offered.get(s) ?? null);
  if (known.every((v) => v === null)) return null;
  return known.filter((v) => v !== true).length;
}

export type PortfolioRow = { code: string; name: string; readiness: number; gap: number | null };

/** By readiness: most ready first (the next to go live). By gap: most still to do first. Then by name. */
export function rank<T extends PortfolioRow>(rows: readonly T[], order: 'readiness' | 'gap'): T[] {
  // An unknown gap goes after every known one, in either order.
  const fewest = (r: T) => r.gap ?? Number.POSITIVE_INFINITY;
  const most = (r: T) => r.gap ?? -1;
  return [...rows].sort(
    (a, b) =>
      (order === 'readiness'
        ? b.readiness - a.readiness || fewest(a) - fewest(b)
        : most(b) - most(a) || a.readiness - b.readiness) || a.name.localeCompare(b.name, 'en-GB'),
  );
}

const MAX_SHORT = 200;
const MAX_LONG = 2000;

export type ChecklistInput = {
  status: ChecklistStatus;
  onDate: string | null;
  owner: string | null;
  notes: string | null;
};

/** A checklist item as entered: a status, and optionally a date (done on, or planned for), an owner, notes. */
export function checklistInput(raw: {
  status: string;
  onDate: string;
  owner: string;
  notes: string;
}): { input: ChecklistInput } | { problems: FieldError[] } {
  const problems: FieldError[] = [];
  if (!isStatus(raw.status)) problems.push({ field: 'status', message: 'Choose where this element is' });
  const onDate = dateProblem(raw.onDate, 'onDate', problems);
  if (raw.owner.length > MAX_SHORT)
    problems.push({ field: 'owner', message: `Enter the owner in ${String(MAX_SHORT)} characters or fewer` });
  if (raw.notes.length > MAX_LONG)
    problems.push({ field: 'notes', message: `Enter notes in ${String(MAX_LONG)} characters or fewer` });
  if (problems.length || !isStatus(raw.status)) return { problems };
  return { input: { status: raw.status, onDate, owner: raw.owner || null, notes: raw.notes || null } };
}

export type PlanInput = {
  nextSteps: string | null;
  receivingOrg: string | null;
  owner: string | null;
  handoverOn: string | null;
  handover: string | null;
};

/** A transition plan as entered: all optional, but something must be said. */
export function planInput(raw: {
  nextSteps: string;
  receivingOrg: string;
  owner: string;
  handoverOn: string;
  handover: string;
}): { input: PlanInput } | { problems: FieldError[] } {
  const problems: FieldError[] = [];
  const handoverOn = dateProblem(raw.handoverOn, 'handoverOn', problems);
  for (const [field, value, max, what] of [
    ['nextSteps', raw.nextSteps, MAX_LONG, 'next steps'],
    ['receivingOrg', raw.receivingOrg, MAX_SHORT, 'the receiving organisation'],
    ['owner', raw.owner, MAX_SHORT, 'the owner'],
    ['handover', raw.handover, MAX_LONG, 'what is handed over'],
  ] as const)
    if (value.length > max)
      problems.push({ field, message: `Enter ${what} in ${String(max)} characters or fewer` });
  if (
    !problems.length &&
    !raw.nextSteps &&
    !raw.receivingOrg &&
    !raw.owner &&
    !raw.handoverOn &&
    !raw.handover
  )
    problems.push({ field: 'nextSteps', message: 'Enter the next steps or the transition plan' });
  if (problems.length) return { problems };
  return {
    input: {
      nextSteps: raw.nextSteps || null,
      receivingOrg: raw.receivingOrg || null,
      owner: raw.owner || null,
      handoverOn,
      handover: raw.handover || null,
    },
  };
}

/** '' is no date; anything else must be a real day (done on, or planned for: it may be ahead). */
function dateProblem(raw: string, field: string, problems: FieldError[]): string | null {
  if (raw === '') return null;
  if (isIsoDate(raw)) return raw;
  problems.push({ field, message: 'Enter a real date, for example 30 4 2013' });
  return null;
}
