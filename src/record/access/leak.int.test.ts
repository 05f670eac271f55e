// Property: no hidden entry leaves a trace. Random records, access settings and redactions are
// written for one patient; every channel that shows the record (pages, print view, history,
// JSON API, FHIR download and export, the staff "view as patient") is read back, and no hidden
// entry's id, title, text or code may appear in any of them. The expected split between shown
// and hidden comes from visibleRecord() in rules.ts, the single source of truth.
// Replay a failure with LEAK_SEED=<seed printed in the diagnostics>; LEAK_RUNS sets the run count.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { apiToken, Browser, signInStaff, testApp, type TestApp } from '../../../test/support/harness.ts';
import { recordViaApi } from '../../../test/support/record-api.ts';
import { addPatientWithAccount } from '../../accounts/cli.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { totpCode } from '../../platform/auth/secrets.ts';
import type { EntryDraft } from '../model.ts';
import { SNOMED } from '../model.ts';
import { visibleRecord, type VisibleEntry } from './rules.ts';
import { SECTION_ORDER } from '../read/present.ts';
import { allEntries, upsertEntries } from '../store.ts';
import {
  describe,
  detailsFor,
  genAccess,
  genRecord,
  markersFor,
  sharedCodeOf,
  type GenAccess,
  type GenEntry,
  type Markers,
  type Written,
} from './leak-generators.ts';

const PRACTICE = 'P81082';
const NHS_NUMBER = '9434765919';
const EMAIL = 'lena.l@example.gp-online.test';
const PASSWORD = 'violet-harbour-lantern-7391';
const clinician = DEMO_STAFF[1]!;
/** How many redactions per record go through the clinician's API rather than SQL. */
const REDACT_BY_API = 2;

let t: TestApp;
let patientId = '';
let patient: Browser;
let staff: Browser;
let token = '';
let clinicianToken = '';

before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  const ctx = { db: t.db.db, clock: t.clock, meta: null };
  const added = await addPatientWithAccount(ctx, {
    practice: PRACTICE,
    nhsNumber: NHS_NUMBER,
    given: 'Lena',
    family: 'Leakcheck',
    birthDate: '1980-05-17',
    email: EMAIL,
    password: PASSWORD,
    proofing: 'P9',
    recordLevel: 'full',
  });
  patientId = added.patient_id;
  patient = new Browser(t.app);
  await patient.submit('/patient/sign-in', '/patient/sign-in', { email: EMAIL, password: PASSWORD });
  const signedIn = await patient.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: totpCode(added.totp_secret, t.clock.now()),
  });
  assert.equal(signedIn.statusCode, 302, 'patient sign-in');
  token = await apiToken(t.app, EMAIL, PASSWORD, added.totp_secret, t.clock);
  staff = await signInStaff(t.app, clinician.email, DEMO_PASSWORD, clinician.totpSecret, t.clock);
  clinicianToken = await apiToken(t.app, clinician.email, DEMO_PASSWORD, clinician.totpSecret, t.clock);
});
after(async () => {
  await t.close();
});

async function writeRecord(entries: readonly GenEntry[], a: GenAccess): Promise<Written> {
  const run = randomBytes(6).toString('hex');
  const db = t.db.db;
  const consultations = entries.flatMap((g, i) => (g.kind === 'consultation' ? [i] : []));
  const drafts: EntryDraft[] = entries.map((g, i) => {
    const m = markersFor(run, i);
    const coding = [{ system: SNOMED, code: m.code, display: m.title }];
    if (g.sharedCode !== null && (g.kind === 'result' || g.kind === 'value'))
      coding.unshift({ system: SNOMED, code: sharedCodeOf(run, g.sharedCode), display: m.title });
    const linked =
      g.kind !== 'consultation' && g.consultation !== null && consultations.length > 0
        ? consultations[g.consultation % consultations.length]
        : undefined;
    return {
      kind: g.kind,
      source: { system: 'leak-test', id: `${run}-${String(i)}` },
      clinicalDate: g.clinicalDate,
      recordedAt: g.recordedAt,
      coding,
      title: m.title,
      text: g.hasText ? m.text : null,
      consultationSource: linked === undefined ? null : `${run}-${String(linked)}`,
      draft: g.draft,
      unfiled: g.unfiled,
      unreviewed: g.unreviewed,
      details: detailsFor(g, m, i),
    };
  });
  const dayOf = (i: number | null) =>
    i !== null && entries.length > 0 ? (entries[i % entries.length]?.recordedAt.slice(0, 10) ?? null) : null;
  const prospectiveFrom = dayOf(a.prospectiveFromEntry) ?? a.prospectiveFrom;
  const later = (day: string | null, atLeast: boolean) =>
    !atLeast || prospectiveFrom === null ? null : day && day > prospectiveFrom ? day : prospectiveFrom;
  const detailedFrom = later(dayOf(a.detailedFromEntry), a.level === 'detailed' || a.level === 'full');
  const fullFrom = later(dayOf(a.fullFromEntry) ?? detailedFrom, a.level === 'full');
  // Historic access covers the level it was granted at: sometimes a lower one than today's.
  const historicLevel =
    !a.historicAccess || a.level === 'none'
      ? null
      : a.historicGrantedLower && a.level !== 'summary'
        ? a.level === 'full'
          ? ('detailed' as const)
          : ('summary' as const)
        : a.level;
  const now = t.clock.now();
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('record_visibility_decisions').where('patient_id', '=', patientId).execute();
    await tx
      .updateTable('record_entries')
      .set({ consultation_id: null })
      .where('patient_id', '=', patientId)
      .execute();
    await tx.deleteFrom('record_entries').where('patient_id', '=', patientId).execute();
    await upsertEntries(tx, { practiceOds: PRACTICE, patientId, drafts, ids: randomUUID, now });
    const hidden = drafts.filter((_, i) => !entries[i]?.visibleOnline).map((d) => d.source?.id ?? '');
    // Most redactions by SQL (fast); the first few through the clinician's API, below.
    if (hidden.length > REDACT_BY_API)
      await tx
        .updateTable('record_entries')
        .set({ visible_online: false })
        .where('patient_id', '=', patientId)
        .where('source_id', 'in', hidden.slice(REDACT_BY_API))
        .execute();
    await tx
      .updateTable('online_services')
      .set({
        record_level: a.level,
        prospective_from: prospectiveFrom,
        detailed_from: detailedFrom,
        full_from: fullFrom,
        historic_access: a.historicAccess,
        historic_level: historicLevel,
      })
      .where('patient_id', '=', patientId)
      .execute();
    await tx
      .insertInto('record_controls')
      .values({
        patient_id: patientId,
        practice_ods: PRACTICE,
        withheld: a.withheld,
        withheld_reason: a.withheld ? 'leak test' : null,
        whole_record_reviewed_at: a.historicAccess ? now : null,
      })
      .onConflict((oc) =>
        oc
          .column('patient_id')
          .doUpdateSet({ withheld: a.withheld, whole_record_reviewed_at: a.historicAccess ? now : null }),
      )
      .execute();
  });
  const redactByApi = entries
    .flatMap((g, i) => (g.visibleOnline ? [] : [`${run}-${String(i)}`]))
    .slice(0, REDACT_BY_API);
  for (const source of redactByApi) {
    const row = await db
      .selectFrom('record_entries')
      .select('id')
      .where('patient_id', '=', patientId)
      .where('source_id', '=', source)
      .executeTakeFirstOrThrow();
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/practice/patients/${NHS_NUMBER}/record/entries/${row.id}`,
      headers: { authorization: `Bearer ${clinicianToken}` },
      payload: { visible: false, reason: 'third-party', note: 'leak test' },
    });
    assert.equal(r.statusCode, 200, `redaction through the API: ${r.body}`);
  }
  const stored = await allEntries(db, { practiceOds: PRACTICE, patientId });
  assert.equal(stored.length, entries.length, 'every generated entry is stored');
  const markers = new Map<string, Markers>();
  for (const e of stored) {
    const i = Number(e.source?.id.split('-').at(-1));
    markers.set(e.id, markersFor(run, i));
  }
  const linkedCount = await sql<{
    n: number;
  }>`select count(*)::int as n from record_entries where patient_id = ${patientId} and consultation_id is not null`.execute(
    db,
  );
  assert.equal(
    linkedCount.rows[0]?.n,
    drafts.filter((d) => d.consultationSource !== null).length,
    'consultation links are stored',
  );
  return {
    stored,
    access: {
      level: a.level,
      prospectiveFrom,
      detailedFrom,
      fullFrom,
      historicAccess: a.historicAccess,
      historicLevel,
      reviewedAt: a.historicAccess ? now.toISOString() : null,
      withheld: a.withheld,
    },
    markers,
    shared: [0, 1, 2].map((k) => sharedCodeOf(run, k)),
  };
}

// --- Reading every channel --------------------------------------------------------------------------

type Output = { channel: string; status: number; body: string };

async function apiGet(url: string): Promise<Output> {
  const r = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return { channel: `GET ${url} (API)`, status: r.statusCode, body: r.body };
}

async function pageGet(b: Browser, url: string, who: string): Promise<Output> {
  const r = await b.get(url);
  return { channel: `GET ${url} (${who})`, status: r.statusCode, body: r.body };
}

async function readEverything(w: Written, visible: readonly VisibleEntry[]): Promise<Output[]> {
  const outs: Output[] = [];
  const recordOpen = w.access.level !== 'none';
  const summary = await pageGet(patient, '/patient/record', 'patient');
  assert.equal(summary.status, recordOpen ? 200 : 403, `${summary.channel}: status`);
  outs.push(summary);
  for (const s of SECTION_ORDER) {
    for (let page = 1; page <= 50; page++) {
      const out = await pageGet(patient, `/patient/record/${s.slug}?page=${String(page)}`, 'patient');
      outs.push(out);
      if (!out.body.includes(`href="?page=${String(page + 1)}"`)) break;
    }
  }
  // History: every code a shown result or value carries; the codes of hidden entries must not open.
  const shownCodes = new Set(
    visible
      .filter((e) => e.kind === 'result' || e.kind === 'value')
      .flatMap((e) => e.coding.map((c) => c.code)),
  );
  const hiddenCodes = [...w.markers.entries()]
    .filter(([id]) => !visible.some((e) => e.id === id))
    .map(([, m]) => m.code);
  for (const code of [...shownCodes, ...w.shared.filter((c) => !shownCodes.has(c))]) {
    const out = await pageGet(patient, `/patient/record/history?code=${code}`, 'patient');
    if (recordOpen && shownCodes.has(code))
      assert.equal(out.status, 200, `${out.channel}: a shown code opens`);
    else assert.notEqual(out.status, 200, `${out.channel}: a code no shown entry carries does not open`);
    outs.push(out);
  }
  for (const code of hiddenCodes.slice(0, 8)) {
    const out = await pageGet(patient, `/patient/record/history?code=${code}`, 'patient');
    assert.notEqual(out.status, 200, `${out.channel}: a hidden entry's code does not open`);
    outs.push(out);
  }
  outs.push(await pageGet(patient, '/patient/record/download', 'patient'));
  outs.push(await apiGet('/api/v1/record/export'));
  const api = await recordViaApi(t.app, token);
  outs.push({
    channel: 'GET /api/v1/record and every /api/v1/record/sections page (API)',
    status: api.status,
    body: api.body,
  });
  outs.push(await pageGet(patient, '/patient/record/who-viewed', 'patient'));
  outs.push(await apiGet('/api/v1/record/access-log'));
  const asPatient = await pageGet(staff, `/staff/patients/${patientId}/record/as-patient`, 'clinician');
  assert.equal(asPatient.status, 200, `${asPatient.channel}: status`);
  outs.push(asPatient);
  for (const o of outs)
    assert.ok(o.status < 500, `${o.channel}: server error ${String(o.status)}: ${o.body.slice(0, 300)}`);
  return outs;
}

// --- The property ---------------------------------------------------------------------------------

test(
  'HAZ-02 HAZ-03 HAZ-11 no hidden entry’s id, title, text or code appears in any output',
  { timeout: 600_000 },
  async (ctx) => {
    const seed = Number(process.env.LEAK_SEED ?? Date.now() % 2_147_483_647);
    const numRuns = Number(process.env.LEAK_RUNS ?? 20);
    ctx.diagnostic(
      `fast-check seed ${String(seed)} (replay with LEAK_SEED=${String(seed)}), ${String(numRuns)} runs`,
    );
    let runs = 0;
    let hiddenChecked = 0;
    let shownChecked = 0;
    await fc.assert(
      fc.asyncProperty(genRecord, genAccess, async (entries, a) => {
        runs++;
        const w = await writeRecord(entries, a);
        const visible = visibleRecord(w.stored, w.access);
        const visibleIds = new Set(visible.map((e) => e.id));
        const hidden = w.stored.filter((e) => !visibleIds.has(e.id));
        const outs = await readEverything(w, visible);

        // Nothing hidden anywhere.
        for (const e of hidden) {
          const m = w.markers.get(e.id);
          assert.ok(m);
          for (const o of outs)
            for (const [what, marker] of [
              ['id', e.id],
              ['title', m.title],
              ['text', m.text],
              ['document content', m.content],
              ['code', m.code],
            ] as const)
              assert.ok(
                !o.body.includes(marker),
                `LEAK: ${o.channel} shows the ${what} of a hidden entry ${describe(e, w.access)}`,
              );
          hiddenChecked++;
        }

        // What is shown is really shown (so the property cannot pass by showing nothing), and free
        // text only at full access.
        const api = outs.find(
          (o) => o.channel === 'GET /api/v1/record and every /api/v1/record/sections page (API)',
        );
        assert.ok(api);
        assert.equal(api.status, w.access.level === 'none' ? 403 : 200, `${api.channel}: status`);
        const asPatient = outs.find((o) => o.channel.includes('as-patient'));
        const exported = outs.find((o) => o.channel === 'GET /api/v1/record/export (API)');
        for (const v of visible) {
          const m = w.markers.get(v.id);
          const stored = w.stored.find((e) => e.id === v.id);
          assert.ok(m && stored);
          assert.ok(
            api.body.includes(v.id) && api.body.includes(m.title),
            `${api.channel} shows ${describe(stored, w.access)}`,
          );
          assert.ok(asPatient?.body.includes(v.id), `as-patient shows ${describe(stored, w.access)}`);
          assert.ok(exported?.body.includes(v.id), `export shows ${describe(stored, w.access)}`);
          const section = SECTION_ORDER.find((s) => s.kind === v.kind);
          const onPages = outs.some(
            (o) =>
              o.channel.startsWith(`GET /patient/record/${section?.slug ?? '?'}?page=`) &&
              o.body.includes(`data-entry-id="${v.id}"`),
          );
          assert.ok(onPages, `section pages show ${describe(stored, w.access)}`);
          // Free text only where the rule gives it: at full access, from full access's own start.
          const content = v.details.kind === 'document' ? v.details.content : null;
          for (const o of outs) {
            if (v.text === null && o.body.includes(m.text))
              assert.fail(
                `LEAK: ${o.channel} shows free text the rule withholds ${describe(stored, w.access)}`,
              );
            if (content === null && o.body.includes(m.content))
              assert.fail(
                `LEAK: ${o.channel} shows document content the rule withholds ${describe(stored, w.access)}`,
              );
          }
          if (w.access.level !== 'full') assert.equal(v.text, null, 'no free text below full access');
          if (v.text !== null)
            assert.ok(
              api.body.includes(m.text),
              `${api.channel} shows free text at full access ${describe(stored, w.access)}`,
            );
          shownChecked++;
        }
      }),
      { seed, numRuns, endOnFailure: true },
    );
    ctx.diagnostic(
      `${String(runs)} records; ${String(hiddenChecked)} hidden and ${String(shownChecked)} shown entries checked`,
    );
  },
);
