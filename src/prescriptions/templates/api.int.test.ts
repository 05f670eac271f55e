// The practice API for repeat templates and settings: made from a record medicine, changed with a
// reason (issues already made untouched), re-authorised, suspended, resumed and ended, each with
// its history row and audit row; version-checked; only clinicians change, only their practice.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { apiToken, fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';

const clock = fixedClock('2026-12-02T10:00:00Z');
const today = '2026-12-02';
let t: TestApp;
const who = (role: string, ods = 'P81082') =>
  DEMO_STAFF.find((s) => s.role === role && s.practiceOds === ods)!;
const tokens: Record<string, string> = {};
let patientId = '';
const ours = new Set<string>();
const notCurrent = new Set<string>();

type Medicine = {
  entryId: string;
  name: string;
  dmdCode: string | null;
  dosage: string | null;
  quantity: number | null;
  quantityUnit: string | null;
  repeatId: string | null;
};
type Repeat = {
  id: string;
  version: number;
  issuesMade: number;
  issuesAuthorised: number;
  quantity: number;
  status: string;
  dosage: string;
  dmdCode: string | null;
  drugName: string;
  authoriserName: string;
  recordEntryId: string;
};

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  for (const [k, s] of [
    ['gp', who('clinician')],
    ['reception', who('receptionist')],
    ['manager', who('practice-manager')],
    ['otherGp', who('clinician', 'N81001')],
  ] as const)
    tokens[k] = await apiToken(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  const row = await t.db.db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', 'P81082')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  patientId = row.id;
  // Medicines of this test's own, so demo repeats made from the demo record never get in the way.
  for (let i = 1; i <= 10; i++) {
    const id = randomUUID();
    // 9 is a past medicine and 10 a draft: neither is a current medicine to make a repeat of.
    (i <= 8 ? ours : notCurrent).add(id);
    await t.db.db
      .insertInto('record_entries')
      .values({
        id,
        practice_ods: 'P81082',
        patient_id: patientId,
        kind: 'medication',
        source_system: null,
        source_id: null,
        clinical_date: '2026-01-05',
        recorded_at: clock.now(),
        sort_key: '2026-01-05',
        coding: JSON.stringify([
          {
            system: 'https://dmd.nhs.uk',
            code: `4210011100${String(i)}`,
            display: `Test medicine ${String(i)}`,
          },
        ]),
        title: `Test medicine ${String(i)} 10mg tablets`,
        text: null,
        consultation_id: null,
        draft: i === 10,
        unfiled: false,
        unreviewed: false,
        visible_online: true,
        imported_at: clock.now(),
        updated_at: clock.now(),
        details: JSON.stringify({
          kind: 'medication',
          prescriptionType: 'repeat',
          status: i === 9 ? 'past' : 'current',
          dosage: 'One tablet twice a day',
          quantity: 56,
          quantityUnit: 'tablet',
          issuesAuthorised: null,
          issuesDone: null,
          reviewDate: null,
          lastIssued: null,
        }),
      })
      .execute();
  }
});
after(async () => {
  await t.close();
});

const call = (as: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${tokens[as] ?? ''}` },
    ...(payload ? { payload } : {}),
  });

async function list(as = 'gp') {
  const res = await call(as, 'GET', `/api/v1/practice/patients/${patientId}/repeats`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{
    repeats: Repeat[];
    medicines: Medicine[];
    changes: {
      templateId: string;
      action: string;
      before: unknown;
      after: Record<string, unknown>;
      reason: string | null;
    }[];
  }>();
}

async function freshRepeat(): Promise<{ repeat: Repeat; medicine: Medicine }> {
  const medicine = (await list()).medicines.find((m) => m.repeatId === null && ours.has(m.entryId));
  assert.ok(medicine, 'a current medicine without a repeat');
  const res = await call('gp', 'POST', `/api/v1/practice/patients/${patientId}/repeats`, {
    recordEntryId: medicine.entryId,
    daysPerIssue: 28,
    issuesAuthorised: 6,
    reviewDate: '2027-06-01',
    repeatUntil: null,
    onlineOrderable: true,
  });
  assert.equal(res.statusCode, 201, res.body);
  return { repeat: res.json<Repeat>(), medicine };
}

test('a repeat is made from a current record medicine, prefilled from it, with its history and audit', async () => {
  const { repeat, medicine } = await freshRepeat();
  assert.equal(repeat.drugName, medicine.name);
  assert.match(repeat.dmdCode ?? '', /^4210011100/);
  assert.equal(repeat.quantity, 56);
  assert.equal(repeat.dmdCode, medicine.dmdCode);
  assert.equal(repeat.dosage, medicine.dosage);
  assert.equal(repeat.quantity, medicine.quantity);
  assert.equal(repeat.recordEntryId, medicine.entryId);
  assert.equal(repeat.authoriserName, who('clinician').name);
  assert.equal(repeat.version, 1);
  const listed = await list();
  assert.equal(listed.medicines.find((m) => m.entryId === medicine.entryId)?.repeatId, repeat.id);
  const created = listed.changes.find((c) => c.templateId === repeat.id);
  assert.equal(created?.action, 'created');
  assert.equal(created.before, null);
  const stored = await t.db.db
    .selectFrom('repeat_template_changes')
    .select('before')
    .where('template_id', '=', repeat.id)
    .executeTakeFirstOrThrow();
  assert.equal(stored.before, null, 'SQL null, not JSON null');
  const audits = await t.db.db
    .selectFrom('audit_events')
    .select(['action', 'patient_id'])
    .where('subject', '=', `repeat:${repeat.id}`)
    .execute();
  assert.deepEqual(audits, [{ action: 'prescriptions.repeat.create', patient_id: patientId }]);
  const viewed = await t.db.db
    .selectFrom('audit_events')
    .select('action')
    .where('action', '=', 'prescriptions.repeats.view')
    .where('patient_id', '=', patientId)
    .execute();
  assert.ok(viewed.length >= 2, 'every read of the list is audited');

  const again = await call('gp', 'POST', `/api/v1/practice/patients/${patientId}/repeats`, {
    recordEntryId: medicine.entryId,
    daysPerIssue: 28,
    issuesAuthorised: 6,
    reviewDate: null,
    repeatUntil: null,
    onlineOrderable: true,
  });
  assert.equal(again.statusCode, 409, again.body);
  assert.equal(again.json<{ reason: string }>().reason, 'already-a-repeat');
});

test('HAZ-22 a new repeat is refused with the problem named: review date today, acute online, not a current medicine', async () => {
  const medicine = (await list()).medicines.find((m) => m.repeatId === null && ours.has(m.entryId));
  assert.ok(medicine);
  const base = {
    recordEntryId: medicine.entryId,
    daysPerIssue: 28,
    issuesAuthorised: 6,
    reviewDate: null,
    repeatUntil: null,
    onlineOrderable: true,
  };
  const today_ = await call('gp', 'POST', `/api/v1/practice/patients/${patientId}/repeats`, {
    ...base,
    reviewDate: today,
  });
  assert.equal(today_.statusCode, 400);
  assert.match(today_.body, /review date must be after today/);
  const acute = await call('gp', 'POST', `/api/v1/practice/patients/${patientId}/repeats`, {
    ...base,
    prescriptionType: 'acute',
  });
  assert.equal(acute.statusCode, 400);
  assert.match(acute.body, /acute medicine cannot be ordered online/);
  const nothing = await call('gp', 'POST', `/api/v1/practice/patients/${patientId}/repeats`, {
    ...base,
    recordEntryId: randomUUID(),
  });
  assert.equal(nothing.statusCode, 400);
  assert.match(nothing.body, /current medicine/);
  const count = await t.db.db
    .selectFrom('repeat_templates')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('record_entry_id', '=', medicine.entryId)
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 0, 'nothing half-written');
});

test('HAZ-24 a change needs the version read and a reason, writes before and after, and never touches an issue', async () => {
  const { repeat } = await freshRepeat();
  const issueId = randomUUID();
  await t.db.db
    .insertInto('prescription_issues')
    .values({
      id: issueId,
      practice_ods: 'P81082',
      patient_id: patientId,
      template_id: repeat.id,
      issued_at: clock.now(),
      prescriber_name: 'Dr Gina Patel',
      drug_name: repeat.drugName,
      dosage: repeat.dosage,
      quantity: repeat.quantity,
      quantity_unit: 'tablet',
      days_supply: 28,
      dmd_code: repeat.dmdCode,
    })
    .execute();
  const noReason = await call('gp', 'PATCH', `/api/v1/practice/repeats/${repeat.id}`, {
    version: 1,
    reason: '',
    quantity: 14,
  });
  assert.equal(noReason.statusCode, 400);
  const ok = await call('gp', 'PATCH', `/api/v1/practice/repeats/${repeat.id}`, {
    version: 1,
    reason: 'Dose halved at review',
    quantity: 14,
    dosage: 'One at night',
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json<Repeat>().version, 2);
  assert.equal(ok.json<Repeat>().quantity, 14);
  const stale = await call('gp', 'PATCH', `/api/v1/practice/repeats/${repeat.id}`, {
    version: 1,
    reason: 'Again',
    quantity: 7,
  });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json<{ reason: string }>().reason, 'stale-version');
  const issue = await t.db.db
    .selectFrom('prescription_issues')
    .select(['dosage', 'quantity'])
    .where('id', '=', issueId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(issue, { dosage: repeat.dosage, quantity: String(repeat.quantity) });
  const change = await t.db.db
    .selectFrom('repeat_template_changes')
    .selectAll()
    .where('template_id', '=', repeat.id)
    .where('version', '=', 2)
    .executeTakeFirstOrThrow();
  assert.equal(change.action, 'changed');
  assert.equal(change.reason, 'Dose halved at review');
  assert.equal((change.before as { quantity: number } | null)?.quantity, repeat.quantity);
  assert.equal(change.after.quantity, 14);
  assert.equal(change.after.dosage, 'One at night');
});

test('re-authorising starts the issues again from none made, with a reason', async () => {
  const { repeat } = await freshRepeat();
  await t.db.db.updateTable('repeat_templates').set({ issues_made: 6 }).where('id', '=', repeat.id).execute();
  const res = await call('gp', 'POST', `/api/v1/practice/repeats/${repeat.id}/reauthorisation`, {
    version: 1,
    reason: 'Reviewed today',
    issuesAuthorised: 12,
  });
  assert.equal(res.statusCode, 200, res.body);
  const r = res.json<Repeat>();
  assert.deepEqual([r.issuesMade, r.issuesAuthorised, r.version], [0, 12, 2]);
  const change = await t.db.db
    .selectFrom('repeat_template_changes')
    .select(['action', 'before', 'after'])
    .where('template_id', '=', repeat.id)
    .where('version', '=', 2)
    .executeTakeFirstOrThrow();
  assert.equal(change.action, 'reauthorised');
  assert.equal((change.before as { issuesMade: number } | null)?.issuesMade, 6);
  assert.equal(change.after.issuesMade, 0);
});

test('suspend, resume and end, each with a reason; an ended repeat cannot change or come back', async () => {
  const { repeat } = await freshRepeat();
  const status = (version: number, action: string, reason = 'Because') =>
    call('gp', 'POST', `/api/v1/practice/repeats/${repeat.id}/status`, { version, action, reason });
  assert.equal((await status(1, 'resume')).statusCode, 400, 'an active repeat cannot be resumed');
  assert.equal((await status(1, 'suspend', '')).statusCode, 400, 'a reason is needed');
  const s = await status(1, 'suspend', 'Blood test first');
  assert.equal(s.json<Repeat>().status, 'suspended');
  assert.equal((await status(2, 'resume')).json<Repeat>().status, 'active');
  assert.equal((await status(3, 'end', 'Stopped')).json<Repeat>().status, 'ended');
  assert.equal((await status(4, 'resume')).statusCode, 400);
  const change = await call('gp', 'PATCH', `/api/v1/practice/repeats/${repeat.id}`, {
    version: 4,
    reason: 'x',
    quantity: 1,
  });
  assert.equal(change.statusCode, 400);
  const actions = await t.db.db
    .selectFrom('repeat_template_changes')
    .select('action')
    .where('template_id', '=', repeat.id)
    .orderBy('version')
    .execute();
  assert.deepEqual(
    actions.map((a) => a.action),
    ['created', 'suspended', 'resumed', 'ended'],
  );
  const ended = (await list()).medicines.find((m) => m.entryId === repeat.recordEntryId);
  assert.equal(ended?.repeatId, null, 'an ended repeat frees its medicine for a new one');
});

test('receptionists see repeats but cannot change them; another practice finds nothing', async () => {
  const { repeat } = await freshRepeat();
  assert.equal((await list('reception')).repeats.length > 0, true);
  const change = await call('reception', 'PATCH', `/api/v1/practice/repeats/${repeat.id}`, {
    version: 1,
    reason: 'x',
    quantity: 1,
  });
  assert.equal(change.statusCode, 403);
  assert.equal(
    (await call('otherGp', 'GET', `/api/v1/practice/patients/${patientId}/repeats`)).statusCode,
    404,
  );
  const other = await call('otherGp', 'PATCH', `/api/v1/practice/repeats/${repeat.id}`, {
    version: 1,
    reason: 'x',
    quantity: 1,
  });
  assert.equal(other.statusCode, 404);
  assert.equal((await call('gp', 'GET', '/api/v1/practice/patients/not-an-id/repeats')).statusCode, 400);
});

test('only current medicines, never past or draft ones, can become repeats', async () => {
  const listed = new Set((await list()).medicines.map((m) => m.entryId));
  for (const id of notCurrent) {
    assert.equal(listed.has(id), false);
    const res = await call('gp', 'POST', `/api/v1/practice/patients/${patientId}/repeats`, {
      recordEntryId: id,
      daysPerIssue: 28,
      issuesAuthorised: 6,
      reviewDate: null,
      repeatUntil: null,
      onlineOrderable: true,
    });
    assert.equal(res.statusCode, 400, res.body);
  }
});
