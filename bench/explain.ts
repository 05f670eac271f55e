// `node bench/explain.ts`: where a record page's time goes. Builds the same database as
// bench/server.ts (demo data + full.patient's 25-year record), then times each step a record page
// or the record API runs, one request at a time (median of --runs), and prints EXPLAIN ANALYZE for
// the SQL of the section queries. PostgreSQL when DATABASE_URL is set, otherwise PGlite.
import { parseArgs } from 'node:util';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { sql } from 'kysely';
import { loadDemo } from '../src/demo/load.ts';
import { DEMO_PATIENTS } from '../src/demo/data.ts';
import { generateRecord } from '../src/demo/records.ts';
import { importEntries } from '../src/record/fhir/import/service.ts';
import { accessPlan, visibleRecord } from '../src/record/access/rules.ts';
import { recordAccessFor } from '../src/record/access/service.ts';
import { SECTION_ORDER } from '../src/record/read/present.ts';
import * as store from '../src/record/read/store.ts';
import * as entries from '../src/record/store.ts';
import { recordAuditAlone } from '../src/platform/audit/audit.ts';
import { SYSTEM_ACTOR } from '../src/platform/auth/actor.ts';
import { systemClock } from '../src/platform/clock.ts';
import { testDatabase } from '../test/support/harness.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
const runs = Math.max(1, Number(args.runs));

const h = await testDatabase();
const db = h.db;
try {
  await loadDemo(db, systemClock);
  const email = DEMO_PATIENTS.find((p) => p.email.startsWith('full.patient@'))?.email ?? '';
  const owner = await db
    .selectFrom('online_accounts')
    .select(['patient_id', 'practice_ods'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const patientId = owner.patient_id ?? '';
  const ods = owner.practice_ods ?? '';
  const today = systemClock.now().toISOString().slice(0, 10);
  const rec = generateRecord(4242, {
    today,
    years: 25,
    consultationsPerYear: 24,
    documentsPerYear: 8,
    prefix: 'bench-25y',
  });
  const ctx = { db, clock: systemClock, meta: null };
  await importEntries(ctx, { kind: 'system' }, { practiceOds: ods, patientId, entries: rec.entries });
  await sql`analyze`.execute(db);
  const access = await recordAccessFor(db, { practiceOds: ods, patientId });
  const plan = accessPlan(access);

  const median = async (fn: () => Promise<unknown>): Promise<number> => {
    await fn();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? 0;
  };
  const row = (name: string, ms: number) => {
    console.log(`${name.padEnd(58)} ${ms.toFixed(2).padStart(8)} ms`);
  };

  console.log(`${h.kind}: median of ${String(runs)} runs, one at a time`);
  row(
    'recordAccessFor (settings + access)',
    await median(() => recordAccessFor(db, { practiceOds: ods, patientId })),
  );
  row(
    'auditView (one hash-chained audit event, own transaction)',
    await median(() =>
      recordAuditAlone(
        db,
        {
          actor: SYSTEM_ACTOR,
          action: 'record.view',
          outcome: 'success',
          practiceOds: ods,
          patientId,
          subject: 'bench',
        },
        systemClock.now(),
      ),
    ),
  );
  for (const s of SECTION_ORDER) {
    const opts = { kinds: [s.kind], limit: 51, offset: 0 };
    let rows: Awaited<ReturnType<typeof store.visibleCandidates>>['entries'] = [];
    row(
      `visibleCandidates ${s.slug}`,
      await median(async () => {
        rows = (await store.visibleCandidates(db, { practiceOds: ods, patientId }, plan, opts)).entries;
      }),
    );
    if (s.kind === 'consultation') {
      const ids = rows.slice(0, 50).map((e) => e.id);
      row(
        '  entriesInConsultations (their coded entries)',
        await median(() => entries.entriesInConsultations(db, { practiceOds: ods, patientId }, ids)),
      );
    }
  }
  const kinds = plan.kinds;
  let all: Awaited<ReturnType<typeof entries.allEntries>> = [];
  row(
    'allEntries (API: whole record)',
    await median(async () => {
      all = await entries.allEntries(db, { practiceOds: ods, patientId }, kinds);
    }),
  );
  row(
    `visibleRecord over ${String(all.length)} entries (JS)`,
    await median(() => Promise.resolve(visibleRecord(all, access))),
  );

  // EXPLAIN ANALYZE of the SQL that visibleCandidates and entriesInConsultations send.
  const captured: RootOperationNode[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (a) => {
      captured.push(a.node);
      return a.node;
    },
    transformResult: (a) => Promise.resolve(a.result),
  };
  const spy = db.withPlugin(capture);
  for (const slug of ['consultations', 'test-results']) {
    const s = SECTION_ORDER.find((x) => x.slug === slug);
    if (!s) continue;
    captured.length = 0;
    const { entries: rows } = await store.visibleCandidates(spy, { practiceOds: ods, patientId }, plan, {
      kinds: [s.kind],
      limit: 51,
      offset: 0,
    });
    await printPlan(`visibleCandidates ${slug}`, captured.at(-1));
    if (slug === 'consultations') {
      captured.length = 0;
      await entries.entriesInConsultations(
        spy,
        { practiceOds: ods, patientId },
        rows.slice(0, 50).map((e) => e.id),
      );
      await printPlan('entriesInConsultations', captured.at(-1));
    }
  }

  async function printPlan(label: string, node: RootOperationNode | undefined): Promise<void> {
    if (!node) return;
    const q = db.getExecutor().compileQuery(node, { queryId: 'explain' });
    let text = q.sql;
    // EXPLAIN takes no bind parameters: inline them as literals (all are strings, numbers, booleans).
    text = text.replace(/\$(\d+)/g, (_, n: string) => {
      const v = q.parameters[Number(n) - 1];
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      return `'${String(v).replace(/'/g, "''")}'`;
    });
    const r = await sql.raw<Record<string, string>>(`explain analyze ${text}`).execute(db);
    console.log(`\n--- EXPLAIN ANALYZE ${label}\n${r.rows.map((x) => Object.values(x)[0]).join('\n')}`);
  }
} finally {
  await h.dispose();
}
