// The queue at 20,000 open items (issue #11's bench practice): page 1, a prescriber's page and a
// deep page read the items through the queue and prescriber indexes of migration 014 (EXPLAIN),
// never a scan of every item. Both databases. Speed is measured by `npm run bench`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { fixedClock, testApp, type TestApp } from '../../../test/support/harness.ts';
import { clinician } from '../../../test/support/prescription-queue.ts';
import { loadDemo } from '../../demo/load.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { queue } from './service.ts';
import { queuePageQuery, type QueueFilter } from './store.ts';

const clock = fixedClock('2026-12-01T10:00:00Z');
const N = 20_000;
let t: TestApp;
let gp: StaffActor;

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  gp = await clinician(t.db.db, 'Dr Scale');
  const db = t.db.db;
  await sql`
    with p as (select id, (row_number() over (order by id)) - 1 as n from patients where practice_ods = 'P81082'),
    k as (select count(*) as k from p)
    insert into repeat_templates (id, practice_ods, patient_id, prescription_type, drug_name, dosage, quantity,
      quantity_unit, days_per_issue, issues_authorised, authoriser_name, authorised_on, created_at, updated_at)
    select md5('t' || g)::uuid, 'P81082', p.id, 'repeat', 'Scale medicine ' || g, 'One a day', 28, 'tablet', 28, 6,
      'Dr Scale', '2026-01-01', now(), now()
    from generate_series(0, ${N - 1}) g join p on p.n = g % (select k from k)`.execute(db);
  await sql`
    insert into prescription_requests (id, practice_ods, patient_id, requested_at, channel)
    select md5('r' || t.id)::uuid, t.practice_ods, t.patient_id, now() - (random() * interval '20 days'), 'web'
    from repeat_templates t where t.drug_name like 'Scale medicine %'`.execute(db);
  await sql`
    insert into prescription_request_items (id, request_id, practice_ods, patient_id, template_id, prescriber_id,
      drug_name, dosage, quantity, quantity_unit, requested_at, status_at)
    select md5('i' || t.id)::uuid, r.id, t.practice_ods, t.patient_id, t.id,
      case when random() < 0.5 then ${gp.staffId}::uuid end, t.drug_name, t.dosage, t.quantity, t.quantity_unit,
      r.requested_at, r.requested_at
    from repeat_templates t join prescription_requests r on r.id = md5('r' || t.id)::uuid
    where t.drug_name like 'Scale medicine %'`.execute(db);
  await sql`analyze`.execute(db);
});
after(async () => {
  await t.close();
});

type Plan = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: Plan[] };
const nodes = (p: Plan): Plan[] => [p, ...(p.Plans ?? []).flatMap(nodes)];

async function itemScans(f: QueueFilter & { limit: number; offset: number }) {
  const c = queuePageQuery(t.db.db, f).compile();
  const r = await t.db.db.executeQuery<{ 'QUERY PLAN': [{ Plan: Plan; 'Execution Time': number }] }>(
    CompiledQuery.raw(`explain (analyze, format json) ${c.sql}`, [...c.parameters]),
  );
  const out = r.rows[0]!['QUERY PLAN'][0];
  return {
    ms: out['Execution Time'],
    scans: nodes(out.Plan).filter((n) => n['Relation Name'] === 'prescription_request_items'),
  };
}

test(`the queue at ${String(N)} open items reads through the indexes of migration 014`, async () => {
  const base = { practiceOds: 'P81082', status: 'requested' as const, limit: 25 };
  // Half the items have no prescriber: either index finds 25 of them at once, in order.
  const cases: [string | undefined, RegExp][] = [
    [undefined, /^prescription_items_queue$/],
    [gp.staffId, /^prescription_items_prescriber$/],
    ['none', /^prescription_items_(queue|prescriber)$/],
  ];
  for (const [prescriber, index] of cases) {
    const { ms, scans } = await itemScans({ ...base, offset: 0, prescriber });
    assert.ok(
      scans.some((s) => /^Index( Only)? Scan$/.test(s['Node Type']) && index.test(s['Index Name'] ?? '')),
      JSON.stringify(scans),
    );
    assert.ok(!scans.some((s) => s['Node Type'] === 'Seq Scan'), JSON.stringify(scans));
    console.log(`queue page ${prescriber ?? 'all'}: ${ms.toFixed(2)} ms (EXPLAIN ANALYZE, ${t.db.kind})`);
  }
  const deep = await itemScans({ ...base, offset: N - 25 });
  // The last page passes every item whichever way it is read; only the ids are, never the joins.
  assert.ok(
    deep.scans.some((s) => s['Index Name'] === 'prescription_request_items_pkey'),
    JSON.stringify(deep.scans),
  );
  console.log(`queue last page: ${deep.ms.toFixed(2)} ms (EXPLAIN ANALYZE, ${t.db.kind})`);

  // How fast is for `npm run bench` (prescriptions scenarios), never a timed test: here the
  // whole page is read through the service, 25 rows with their context, both filters.
  const ctx = { db: t.db.db, clock, meta: null };
  for (const prescriber of [undefined, gp.staffId]) {
    const page = await queue(ctx, gp, { page: 1, status: 'requested', prescriber });
    assert.equal(page.rows.length, 25);
  }
});
