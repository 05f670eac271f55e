// The demo's repeat prescriptions are in the states they claim, judged by the prescription rules
// themselves, on ordinary days and on the awkward ones (29 February, just after midnight in
// summer time, a bank holiday), with every practice's settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englandDay } from '../platform/dates.ts';
import {
  isOverdue,
  orderability,
  type Orderability,
  type PrescriptionSettings,
  type TemplateFacts,
} from '../prescriptions/rules.ts';
import { DEMO_PATIENTS } from './data.ts';
import { REPEATS } from './record-codes.ts';
import { generateRecord } from './records.ts';
import {
  DEMO_REPEAT_PLAN,
  DEMO_SETTINGS,
  demoPatientRepeats,
  demoQueue,
  demoSettings,
  medicinesOf,
  mergeRows,
  type DemoMedicine,
  type DemoPrescriptionRows,
  type DemoRepeatState,
} from './prescriptions.ts';

const STATES: DemoRepeatState[] = [
  'orderable',
  'early',
  'too-early',
  'review-due',
  'no-issues-left',
  'not-online',
  'requested',
  'requested-early',
  'approved',
  'issued',
  'rejected',
];
/** What the rules must say of each state today. */
const EXPECTED: Record<DemoRepeatState, (o: Orderability) => boolean> = {
  orderable: (o) => o.orderable && !o.early,
  early: (o) => o.orderable && o.early,
  'too-early': (o) => !o.orderable && o.reason === 'too-early',
  'review-due': (o) => !o.orderable && o.reason === 'review-due',
  'no-issues-left': (o) => !o.orderable && o.reason === 'no-issues-left',
  'not-online': (o) => !o.orderable && o.reason === 'not-online',
  requested: (o) => !o.orderable && o.reason === 'already-requested',
  'requested-early': (o) => !o.orderable && o.reason === 'already-requested',
  // Approved records the issue: the next one is not due yet.
  approved: (o) => !o.orderable && o.reason === 'too-early',
  // Issued three days ago: the next one is not due yet.
  issued: (o) => !o.orderable && o.reason === 'too-early',
  // Rejected for a reason of its own: the repeat can be ordered again.
  rejected: (o) => o.orderable && !o.early,
};

const NOWS = [
  '2026-12-02T10:15:00Z', // an ordinary Wednesday
  '2028-02-29T12:00:00Z', // 29 February
  '2026-06-30T23:30:00Z', // 00:30 on 1 July in summer time: the UTC day is still yesterday
  '2026-12-25T08:00:00Z', // Christmas Day, a bank holiday
  '2026-12-02T00:05:00Z', // just after midnight, before any of the day's hours
];

const medicine = (n: number): DemoMedicine => {
  const m = REPEATS[n % REPEATS.length] ?? REPEATS[0];
  if (!m) throw new Error('no demo repeats');
  return {
    entryId: `entry-${String(n)}`,
    type: 'repeat',
    dmdCode: m.code,
    name: m.name,
    dosage: m.dosage,
    quantity: m.quantity,
    unit: m.form,
    issuesAuthorised: 12,
  };
};
const acute: DemoMedicine = {
  ...medicine(0),
  entryId: 'entry-acute',
  type: 'acute',
  name: 'Amoxicillin 500mg capsules',
};

function build(now: Date, practiceOds: string): DemoPrescriptionRows {
  let n = 0;
  const b = {
    practiceOds,
    prescriber: { id: 'gp-1', name: 'Dr Gina Patel' },
    now,
    id: () => `id-${String(++n)}`,
    window: demoSettings(practiceOds).window,
  };
  return mergeRows(
    demoPatientRepeats(b, {
      patientId: 'patient-1',
      accountId: 'account-1',
      repeats: STATES.map((state, i) => ({ medicine: medicine(i), state })),
      acute,
    }),
    demoQueue(b, ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8']),
  );
}

const settingsOf = (ods: string): PrescriptionSettings => {
  const s = demoSettings(ods);
  return {
    onlineOrdering: s.online,
    turnaroundDays: s.turnaround,
    orderWindowDays: s.window,
    earlyReasonRequired: s.earlyReason,
  };
};
const ms = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : NaN);

/** The rules' view of a template, with its open item if `open` (an item still open then). */
function facts(rows: DemoPrescriptionRows, id: string, withItems = true): TemplateFacts {
  const t = rows.templates.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${id}`);
  const open = rows.items.find(
    (i) => i.template_id === id && (i.status === 'requested' || i.status === 'approved'),
  );
  return {
    prescriptionType: t.prescription_type,
    status: t.status ?? 'active',
    onlineOrderable: t.online_orderable,
    issuesAuthorised: t.issues_authorised,
    issuesMade: t.issues_made ?? 0,
    daysPerIssue: t.days_per_issue,
    reviewDate: t.review_date ?? null,
    repeatUntil: t.repeat_until ?? null,
    lastIssuedOn: t.last_issued_at ? englandDay(new Date(t.last_issued_at)) : null,
    openItem: withItems && open?.status === 'requested' ? 'requested' : null,
  };
}

test('the identity-checked demo accounts show every state between them, and each patient can order something now', () => {
  const plans = Object.values(DEMO_REPEAT_PLAN);
  // Ordering online needs an identity check (P9): those accounts see every state between them.
  const p9 = DEMO_PATIENTS.filter((a) => a.proofing === 'P9' && a.patientIndex !== null && a.recordYears > 0);
  const seen = p9.flatMap((a) => DEMO_REPEAT_PLAN[a.patientIndex ?? -1] ?? []);
  assert.equal(p9.length, 3);
  // 'issued' three days ago is what shows "too early".
  for (const s of STATES.filter((x) => x !== 'too-early'))
    assert.ok(seen.includes(s), `no P9 patient shows ${s}`);
  assert.ok(seen.includes('issued'));
  for (const p of plans)
    assert.ok(p.includes('orderable') || p.includes('early'), `nothing to order in ${p.join()}`);
});

for (const nowText of NOWS)
  for (const ods of Object.keys(DEMO_SETTINGS))
    test(`each repeat is in its state by the rules at ${nowText} (${ods})`, () => {
      const now = new Date(nowText);
      const rows = build(now, ods);
      const today = englandDay(now);
      for (const [i, state] of STATES.entries()) {
        const id = rows.templates[i]?.id ?? '';
        const o = orderability(facts(rows, id), settingsOf(ods), today);
        assert.ok(EXPECTED[state](o), `${state}: ${JSON.stringify(o)}`);
      }
      const a = rows.templates[STATES.length];
      assert.equal(a?.prescription_type, 'acute');
      assert.equal(orderability(facts(rows, a.id), settingsOf(ods), today).orderable, false);
    });

test('issues made match the issue rows, the last one is the last issued, and nothing is in the future', () => {
  for (const nowText of NOWS) {
    const now = new Date(nowText);
    const rows = build(now, 'P81082');
    for (const t of rows.templates) {
      const issues = rows.issues.filter((x) => x.template_id === t.id);
      assert.equal(issues.length, t.issues_made, `${t.drug_name}: issues made`);
      assert.ok((t.issues_made ?? 0) <= t.issues_authorised);
      assert.equal(Math.max(...issues.map((x) => ms(x.issued_at))), ms(t.last_issued_at), 'last issued');
      assert.ok(t.authorised_on <= englandDay(new Date(Math.min(...issues.map((x) => ms(x.issued_at))))));
    }
    const times = [
      ...rows.issues.map((x) => ms(x.issued_at)),
      ...rows.requests.map((x) => ms(x.requested_at)),
      ...rows.items.flatMap((x) => [ms(x.requested_at), ms(x.status_at), ms(x.decided_at ?? x.status_at)]),
    ];
    assert.ok(
      times.every((t) => t <= now.getTime()),
      `a time after ${nowText}`,
    );
  }
});

test('items: one open item a repeat, each with its request’s time, reasons when rejected, one issue when approved', () => {
  const rows = build(new Date(NOWS[0] ?? ''), 'P81082');
  const open = rows.items.filter((i) => i.status === 'requested' || i.status === 'approved');
  assert.equal(new Set(open.map((i) => i.template_id)).size, open.length);
  for (const i of rows.items) {
    const r = rows.requests.find((x) => x.id === i.request_id);
    assert.equal(ms(r?.requested_at), ms(i.requested_at));
    assert.ok(ms(i.requested_at) <= ms(i.status_at));
    assert.equal(i.status === 'rejected', Boolean(i.reject_reason));
    const issues = rows.issues.filter((x) => x.request_item_id === i.id);
    assert.equal(issues.length, ['approved', 'issued'].includes(i.status ?? '') ? 1 : 0, i.status);
    if (issues[0]) assert.equal(ms(issues[0].issued_at), ms(i.decided_at));
  }
});

test('an item is marked early exactly when its repeat could only be ordered early that day; an early one has a reason', () => {
  for (const nowText of NOWS) {
    const rows = build(new Date(nowText), 'P81082');
    for (const i of rows.items) {
      const t = rows.templates.find((x) => x.id === i.template_id);
      if (!t) throw new Error('item without its repeat');
      const before = rows.issues
        .filter((x) => x.template_id === t.id && x.request_item_id === null)
        .map((x) => ms(x.issued_at));
      const f = { ...facts(rows, t.id, false), issuesMade: before.length, reviewDate: null };
      f.lastIssuedOn = englandDay(new Date(Math.max(...before)));
      const o = orderability(f, settingsOf('P81082'), englandDay(new Date(i.requested_at)));
      assert.ok(
        o.orderable,
        `${nowText}: item ${i.id} was not orderable when requested: ${JSON.stringify(o)}`,
      );
      assert.equal(o.early, i.early ?? false, `${nowText}: item ${i.id} early`);
      const r = rows.requests.find((x) => x.id === i.request_id);
      assert.equal(Boolean(r?.early_reason), i.early ?? false);
    }
  }
});

test('each practice’s queue waits: requested items, some past the turnaround, some for any prescriber', () => {
  for (const ods of Object.keys(DEMO_SETTINGS))
    for (const nowText of NOWS) {
      const now = new Date(nowText);
      let n = 0;
      const rows = demoQueue(
        { practiceOds: ods, prescriber: { id: 'gp', name: 'Dr' }, now, id: () => String(++n) },
        ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      );
      assert.equal(rows.items.length, 12);
      assert.ok(rows.items.every((i) => i.status === 'requested' && i.template_id));
      const overdue = rows.items.filter((i) =>
        isOverdue(englandDay(new Date(i.requested_at)), englandDay(now), settingsOf(ods)),
      );
      assert.ok(
        overdue.length > 0 && overdue.length < rows.items.length,
        `${ods}: ${String(overdue.length)} overdue`,
      );
      assert.ok(rows.items.some((i) => i.prescriber_id === null));
      assert.ok(rows.items.some((i) => i.prescriber_id === 'gp'));
      assert.ok(rows.templates.every((t) => t.record_entry_id === null));
    }
});

test('a demo record gives its current repeats (dm+d coded, with dose and quantity) and its latest acute medicine', () => {
  const record = generateRecord(1003, {
    today: '2026-12-02',
    years: 8,
    consultationsPerYear: 6,
    documentsPerYear: 2,
  });
  const entries = record.entries.map((e, i) => ({
    id: `entry-${String(i)}`,
    coding: e.coding,
    title: e.title,
    details: { ...e.details },
  }));
  const { repeats, acute } = medicinesOf(entries);
  assert.deepEqual(
    repeats.map((m) => [m.dmdCode, m.name, m.dosage, m.quantity, m.unit, m.issuesAuthorised]),
    REPEATS.map((m) => [m.code, m.name, m.dosage, m.quantity, m.form, 12]),
  );
  assert.ok(repeats.every((m) => m.type === 'repeat' && m.entryId?.startsWith('entry-')));
  const acutes = entries.filter(
    (e) => e.details.kind === 'medication' && e.details.prescriptionType === 'acute',
  );
  assert.ok(acutes.length > 0);
  assert.equal(acute?.entryId, acutes.at(-1)?.id);
  assert.equal(acute?.type, 'acute');
  // The record's first, lower dose of metformin is past: no template is made from it.
  assert.equal(repeats.filter((m) => m.name.startsWith('Metformin')).length, 1);
});
