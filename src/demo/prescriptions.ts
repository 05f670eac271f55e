// Demo repeat prescriptions: templates made from each demo record's current repeat medicines, in
// every state a patient can meet (orderable, early, too early, review due, no issues left, not
// online, requested, approved, issued, rejected with a reason) plus an acute item; each practice's
// settings; and a waiting queue at each practice. Pure: rows are built from the demo's "today"
// (the England day of the clock) and written by load.ts through the demo store.
import type { Insertable } from 'kysely';
import type { ItemStatus, PrescriptionSettingsTable } from '../platform/db/schema.ts';
import { addDays, englandDay } from '../platform/dates.ts';
import { DMD } from '../record/index.ts';
import { REPEATS } from './record-codes.ts';
import {
  at,
  created,
  DAYS_PER_ISSUE,
  emptyRows,
  firstOf,
  issue,
  item,
  pastIssues,
  request,
  template,
  type Build,
  type DemoMedicine,
  type DemoPrescriptionRows,
} from './prescription-rows.ts';

export { mergeRows, type DemoMedicine, type DemoPrescriptionRows } from './prescription-rows.ts';

export type DemoRepeatState =
  | 'orderable'
  | 'early'
  | 'too-early'
  | 'review-due'
  | 'no-issues-left'
  | 'not-online'
  | 'requested'
  | 'requested-early'
  | 'approved'
  | 'issued'
  | 'rejected';

/**
 * The state of each current repeat (in the record's order) of the demo accounts' patients, by
 * patient index: the identity-checked (P9) accounts, who may order online, see every state between
 * them (the P5 account's are for staff to see), and each patient has something to order now.
 */
export const DEMO_REPEAT_PLAN: Readonly<Record<number, readonly DemoRepeatState[]>> = {
  0: ['orderable', 'too-early', 'no-issues-left', 'rejected'],
  1: ['orderable', 'review-due', 'approved', 'not-online'],
  2: ['early', 'no-issues-left', 'requested-early', 'rejected'],
  3: ['orderable', 'orderable', 'requested', 'issued'],
};
const CYCLE: readonly DemoRepeatState[] = ['orderable', 'too-early', 'requested', 'review-due', 'rejected'];

export function demoRepeatState(patientIndex: number, medicine: number): DemoRepeatState {
  return (
    DEMO_REPEAT_PLAN[patientIndex]?.[medicine] ??
    CYCLE[(patientIndex + medicine) % CYCLE.length] ??
    'orderable'
  );
}

export type DemoSettings = { online: boolean; turnaround: number; window: number; earlyReason: boolean };

/** Each demo practice's settings: the usual 2 working days and a 7 days' window, and two variations. */
export const DEMO_SETTINGS: Readonly<Record<string, DemoSettings>> = {
  P81082: { online: true, turnaround: 2, window: 7, earlyReason: true },
  N81001: { online: true, turnaround: 3, window: 10, earlyReason: false },
  N82001: { online: true, turnaround: 2, window: 5, earlyReason: true },
};
const USUAL: DemoSettings = { online: true, turnaround: 2, window: 7, earlyReason: true };

export function demoSettings(practiceOds: string): DemoSettings {
  return DEMO_SETTINGS[practiceOds] ?? USUAL;
}

export function settingsRow(practiceOds: string, now: Date): Insertable<PrescriptionSettingsTable> {
  const s = demoSettings(practiceOds);
  return {
    practice_ods: practiceOds,
    online_ordering: s.online,
    turnaround_days: s.turnaround,
    order_window_days: s.window,
    early_reason_required: s.earlyReason,
    version: 1,
    updated_at: now,
    updated_by: null,
  };
}

/** A record entry as the demo store reads it back. */
export type MedicationEntry = {
  id: string;
  coding: unknown[];
  title: string;
  details: Record<string, unknown>;
};

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function dmdCode(coding: unknown[]): string | null {
  for (const c of coding)
    if (c && typeof c === 'object' && 'system' in c && 'code' in c && c.system === DMD) return text(c.code);
  return null;
}

function asMedicine(e: MedicationEntry): DemoMedicine | null {
  const d = e.details;
  const type = d.prescriptionType;
  if (d.kind !== 'medication' || (type !== 'repeat' && type !== 'acute')) return null;
  const quantity = count(d.quantity);
  return {
    entryId: e.id,
    type,
    dmdCode: dmdCode(e.coding),
    name: e.title,
    dosage: text(d.dosage) ?? 'As directed',
    quantity: quantity !== null && quantity > 0 ? quantity : 1,
    unit: text(d.quantityUnit) ?? 'pack',
    issuesAuthorised: count(d.issuesAuthorised),
  };
}

/** A record's current repeat medicines (oldest first, as read) and its latest acute one. */
export function medicinesOf(entries: readonly MedicationEntry[]): {
  repeats: DemoMedicine[];
  acute: DemoMedicine | null;
} {
  const current = entries.filter((e) => e.details.status === 'current');
  const repeats = current.map(asMedicine).filter((m): m is DemoMedicine => m?.type === 'repeat');
  const acutes = entries.map(asMedicine).filter((m): m is DemoMedicine => m?.type === 'acute');
  return { repeats, acute: acutes.at(-1) ?? null };
}

export type DemoPatientRepeats = {
  patientId: string;
  accountId: string | null;
  repeats: { medicine: DemoMedicine; state: DemoRepeatState }[];
  acute: DemoMedicine | null;
};

const LEAD = 7; // ORDER_LEAD_DAYS of the prescription rules: due 7 days before the supply ends
const EARLY_REASON = 'I am going on holiday on Saturday for two weeks.';

/** [England days ago, hour]: an instant through `at`. */
type When = [number, number];
type Shape = {
  /** England days before today of the last issue made before any item below. */
  lastIssued: number;
  issuesMade: number | 'all';
  reviewInDays: number;
  online: boolean;
  item: null | {
    status: ItemStatus;
    requested: When;
    decided?: When;
    /** When a dispensing step after the approval was recorded. */
    moved?: When;
    early?: boolean;
    /** Approving it made an issue (approved, and every dispensing step after it). */
    issued?: boolean;
  };
};

function shape(state: DemoRepeatState, window: number): Shape {
  // Due (7 days before the supply ends) 3 days ago.
  const base: Shape = {
    lastIssued: DAYS_PER_ISSUE - LEAD + 3,
    issuesMade: 4,
    reviewInDays: 90,
    online: true,
    item: null,
  };
  switch (state) {
    case 'orderable':
      return base;
    case 'early':
      return { ...base, lastIssued: DAYS_PER_ISSUE - LEAD - Math.max(1, Math.floor(window / 2)) };
    case 'too-early':
      return { ...base, lastIssued: 2, issuesMade: 2 };
    case 'review-due':
      return { ...base, lastIssued: DAYS_PER_ISSUE + 2, issuesMade: 6, reviewInDays: -3 };
    case 'no-issues-left':
      return { ...base, lastIssued: DAYS_PER_ISSUE - 2, issuesMade: 'all' };
    case 'not-online':
      return { ...base, online: false };
    case 'requested':
      return {
        ...base,
        lastIssued: DAYS_PER_ISSUE - LEAD + 1,
        item: { status: 'requested', requested: [1, 9] },
      };
    case 'requested-early':
      return {
        ...base,
        lastIssued: DAYS_PER_ISSUE - LEAD - 4,
        item: { status: 'requested', requested: [0, 8], early: true },
      };
    case 'approved':
      return {
        ...base,
        lastIssued: DAYS_PER_ISSUE + 1,
        item: { status: 'approved', requested: [2, 9], decided: [1, 16], issued: true },
      };
    case 'issued':
      return {
        ...base,
        lastIssued: DAYS_PER_ISSUE + 4,
        item: { status: 'issued', requested: [4, 9], decided: [3, 11], moved: [2, 10], issued: true },
      };
    case 'rejected':
      return {
        ...base,
        lastIssued: DAYS_PER_ISSUE - LEAD + 5,
        item: { status: 'rejected', requested: [4, 10], decided: [3, 15] },
      };
  }
}

/** One demo patient's templates, with the issues, requests and items that put each in its state. */
export function demoPatientRepeats(
  b: Build & { window: number },
  p: DemoPatientRepeats,
): DemoPrescriptionRows {
  const out = emptyRows();
  const today = englandDay(b.now);
  for (const { medicine: m, state } of p.repeats) {
    const sh = shape(state, b.window);
    const authorised = sh.issuesMade === 'all' ? 6 : (m.issuesAuthorised ?? 12);
    const before = sh.issuesMade === 'all' ? authorised : Math.min(sh.issuesMade, authorised - 1);
    const last = at(b.now, sh.lastIssued, 11);
    const it = sh.item;
    const decided = it?.decided ? at(b.now, ...it.decided) : null;
    const byItem = it?.issued && decided ? decided : null;
    const t = template(b, p.patientId, m, {
      authorised,
      made: before + (byItem ? 1 : 0),
      lastIssuedAt: byItem ?? last,
      firstIssuedAt: before > 0 ? firstOf(last, before, DAYS_PER_ISSUE) : byItem,
      reviewDate: addDays(today, sh.reviewInDays),
      online: sh.online,
    });
    out.templates.push(t);
    out.changes.push(created(b, t));
    out.issues.push(...pastIssues(b, t, last, before));
    if (!it) continue;
    const requestedAt = at(b.now, ...it.requested);
    const r = request(b, {
      patientId: p.patientId,
      accountId: p.accountId,
      at: requestedAt,
      earlyReason: it.early ? EARLY_REASON : null,
    });
    const i = item(b, t, r, {
      status: it.status,
      early: it.early ?? false,
      requestedAt,
      statusAt: (it.moved ? at(b.now, ...it.moved) : null) ?? decided ?? requestedAt,
      decidedAt: decided,
      prescriber: b.prescriber.id,
    });
    out.requests.push(r);
    out.items.push(i);
    if (byItem) out.issues.push(issue(b, t, byItem, i.id));
  }
  if (p.acute) {
    const last = at(b.now, 45, 10);
    const t = template(b, p.patientId, p.acute, {
      authorised: 1,
      made: 1,
      lastIssuedAt: last,
      firstIssuedAt: last,
      reviewDate: null,
      online: false,
    });
    out.templates.push(t);
    out.changes.push(created(b, t));
    out.issues.push(issue(b, t, last, null));
  }
  return out;
}

const NOTES = [
  'Please can I collect from the surgery.',
  null,
  'I have run out of the inhaler.',
  null,
  null,
  'My pharmacy has changed to the one on Station Road.',
];

/**
 * A waiting queue at a practice: two repeats from the demo vocabulary for each patient (no record
 * entry: these patients have no demo record), ordered at the counter over the last week, one every
 * 22 hours, so some have waited longer than the practice's turnaround; a third of them for
 * any prescriber. Every other patient orders both repeats in one request.
 */
export function demoQueue(b: Build, patientIds: readonly string[]): DemoPrescriptionRows {
  const out = emptyRows();
  const today = englandDay(b.now);
  for (const [n, patientId] of patientIds.entries()) {
    const requestedAt = new Date(b.now.getTime() - (1 + n * 22) * 3_600_000);
    const r = request(b, {
      patientId,
      accountId: null,
      at: requestedAt,
      note: NOTES[n % NOTES.length] ?? null,
    });
    out.requests.push(r);
    for (const k of [0, 1]) {
      const v = REPEATS[(n + k) % REPEATS.length];
      if (!v) continue;
      // Due on the day it was ordered at the latest, so none of these orders is early.
      const last = at(b.now, DAYS_PER_ISSUE - LEAD + 2 + n, 11);
      const m: DemoMedicine = {
        entryId: null,
        type: 'repeat',
        dmdCode: v.code,
        name: v.name,
        dosage: v.dosage,
        quantity: v.quantity,
        unit: v.form,
        issuesAuthorised: 12,
      };
      const t = template(b, patientId, m, {
        authorised: 12,
        made: 3,
        lastIssuedAt: last,
        firstIssuedAt: firstOf(last, 3, DAYS_PER_ISSUE),
        reviewDate: addDays(today, 120),
        online: true,
      });
      out.templates.push(t);
      out.changes.push(created(b, t));
      out.issues.push(...pastIssues(b, t, last, 3));
      if (k === 1 && n % 2 === 1) continue;
      out.items.push(
        item(b, t, r, {
          status: 'requested',
          early: false,
          requestedAt,
          statusAt: requestedAt,
          decidedAt: null,
          prescriber: n % 3 === 2 ? null : b.prescriber.id,
        }),
      );
    }
  }
  return out;
}
