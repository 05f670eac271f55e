// Whether an order of several repeats can go ahead: each chosen repeat judged by the rules of
// repeat prescriptions, and the early reason the practice may ask for. Pure: the day is a parameter.
import {
  MAX_NOTE_LENGTH,
  orderability,
  orderShapeProblem,
  type NotOrderable,
  type Orderability,
  type PrescriptionSettings,
  type TemplateFacts,
} from '../rules.ts';
import { englandDay } from '../../platform/dates.ts';

/** Why a repeat cannot be ordered, without the flag that says it cannot. */
function withoutFlag(j: { orderable: false } & NotOrderable): NotOrderable {
  const why: Partial<typeof j> = { ...j };
  delete why.orderable;
  return why as NotOrderable;
}

export type OrderRefusal =
  | { item: string; reason: 'no-such-repeat' }
  | ({ item: string } & NotOrderable)
  | { item: string; reason: 'early-reason-required' };

export type OrderJudgement =
  | { ok: true; early: string[]; earlyReason: string | null }
  | { ok: false; shape: string; detail: string }
  | { ok: false; shape: null; refusals: OrderRefusal[] };

const SHAPE_TEXT = {
  'no-items': 'Choose at least one medicine to order',
  'too-many-items': (max: number) => `Order ${String(max)} medicines or fewer at once`,
  'repeated-item': 'Each medicine can be chosen only once',
  'note-too-long': (max: number) => `The note must be ${String(max)} characters or fewer`,
} as const;

/**
 * The one shape of an id in ordering: a UUID written out plainly (never urn:uuid: or braces, which
 * a schema's `format: 'uuid'` lets through and PostgreSQL then rejects). Either case is read;
 * `uuidOf` gives the lower-case id the database stores, so judging compares like with like.
 */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID = new RegExp(UUID_PATTERN);

export function uuidOf(id: string): string | null {
  return UUID.test(id) ? id.toLowerCase() : null;
}

/** Blank text is no text. */
export function optionalText(v: string | null | undefined): string | null {
  const t = (v ?? '').trim();
  return t === '' ? null : t;
}

/**
 * Judges an order: its shape, then every chosen repeat (each refusal named by the repeat and the
 * rule), then the early reason. Nothing is ordered unless every item can be.
 */
export function judgeOrder(o: {
  items: readonly string[];
  note: string | null;
  earlyReason: string | null;
  repeats: ReadonlyMap<string, Orderability>;
}): OrderJudgement {
  const shape = orderShapeProblem(o.items, o.note);
  if (shape) {
    const detail =
      shape.problem === 'too-many-items' || shape.problem === 'note-too-long'
        ? SHAPE_TEXT[shape.problem](shape.max)
        : SHAPE_TEXT[shape.problem];
    return { ok: false, shape: shape.problem, detail };
  }
  if (o.earlyReason !== null && o.earlyReason.length > MAX_NOTE_LENGTH)
    return {
      ok: false,
      shape: 'reason-too-long',
      detail: `Why you need it early must be ${String(MAX_NOTE_LENGTH)} characters or fewer`,
    };
  const refusals: OrderRefusal[] = [];
  const early: string[] = [];
  let reasonNeeded = false;
  for (const item of o.items) {
    const j = o.repeats.get(item);
    if (!j) refusals.push({ item, reason: 'no-such-repeat' });
    else if (!j.orderable) {
      refusals.push({ ...withoutFlag(j), item });
    } else if (j.early) {
      early.push(item);
      if (j.reasonRequired) reasonNeeded = true;
    }
  }
  if (!refusals.length && reasonNeeded && o.earlyReason === null)
    for (const item of early) refusals.push({ item, reason: 'early-reason-required' });
  if (refusals.length) return { ok: false, shape: null, refusals };
  // A reason given when nothing is early is not kept: it would read as one to the prescriber.
  return { ok: true, early, earlyReason: early.length ? o.earlyReason : null };
}

/** Every repeat's orderability today. */
export function judgeAll(
  repeats: readonly (TemplateFacts & { id: string })[],
  settings: PrescriptionSettings,
  today: string,
): Map<string, Orderability> {
  return new Map(repeats.map((r) => [r.id, orderability(r, settings, today)]));
}

/** The facts the rules need from a stored repeat (the day of its last issue is England's). */
export function factsOf(r: {
  prescription_type: TemplateFacts['prescriptionType'];
  status: TemplateFacts['status'];
  online_orderable: boolean;
  issues_authorised: number;
  issues_made: number;
  days_per_issue: number;
  review_date: string | null;
  repeat_until: string | null;
  last_issued_at: Date | null;
  open_status: string | null;
}): TemplateFacts {
  return {
    prescriptionType: r.prescription_type,
    status: r.status,
    onlineOrderable: r.online_orderable,
    issuesAuthorised: r.issues_authorised,
    issuesMade: r.issues_made,
    daysPerIssue: r.days_per_issue,
    reviewDate: r.review_date,
    repeatUntil: r.repeat_until,
    lastIssuedOn: r.last_issued_at ? englandDay(r.last_issued_at) : null,
    openItem: r.open_status === 'requested' ? 'requested' : null,
  };
}
