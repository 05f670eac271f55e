// Benchmark server: runs in its own process so the load generator and the app do not share an
// event loop. Makes a fresh database the way the tests do (PostgreSQL when DATABASE_URL is set,
// otherwise a PGlite copy), loads the demo data plus BENCH_ACCOUNTS extra patient accounts for the
// sign-in scenario, adds two baseline routes, listens on 127.0.0.1:0 and prints one JSON line.
// For the record scenarios it gives the full.patient demo account's patient a 25-year record
// (generateRecord: ~600 consultations with notes, ~200 letters, over 5,000 coded entries), checks
// its size and times the import; it also times a FHIR import of ../shared/data/synthea-fhir-r4-patients
// (when that folder exists) into a practice of its own, Y99999, so the measured patient is untouched.
// Unless BENCH_PRESCRIPTIONS=0 it also seeds the repeat prescriptions practice of issue #11
// (bench/prescriptions-seed.ts). Stops on SIGTERM (and removes its database).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { loadDemo } from '../src/demo/load.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../src/demo/data.ts';
import { generateRecord } from '../src/demo/records.ts';
import { importEntries } from '../src/record/fhir/import/service.ts';
import { importFhirPath } from '../src/record/fhir/import/cli.ts';
import { addPractice } from '../src/practices/service.ts';
import { addPatientWithAccount } from '../src/accounts/cli.ts';
import { systemClock } from '../src/platform/clock.ts';
import { testDatabase } from '../test/support/harness.ts';
import { testNhsNumber } from '../src/platform/nhs-number.ts';
import { seedPrescriptions } from './prescriptions-seed.ts';
import type { RxReady } from './prescriptions.ts';
import { loadPomi, type PomiReady } from './programme.ts';

/** Shared by every bench sign-in account (base32, 16+ characters). */
export const BENCH_TOTP_SECRET = 'GPOBENCHSIGNIN2222222222';

/** The benchmark record: 25 years, 24 consultations and 8 letters a year. */
const RECORD = { seed: 4242, years: 25, consultationsPerYear: 24, documentsPerYear: 8, prefix: 'bench-25y' };
/** The minimum size for the record scenarios. */
const RECORD_MIN = { coded: 5000, consultations: 600, documents: 200 };
const FHIR_PRACTICE = 'Y99999';
const FHIR_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../shared/data/synthea-fhir-r4-patients',
);

export type RecordStats = {
  email: string;
  generated: number;
  /** Stored entries of the patient (demo record + bench record) by kind. */
  byKind: Record<string, number>;
  total: number;
  /** Entries that carry a code (SNOMED CT / dm+d), consultations and documents included. */
  coded: number;
  /** The same without consultations and documents: coded clinical entries only. */
  codedClinical: number;
  consultationsWithText: number;
  documents: number;
  importMs: number;
  entriesPerSec: number;
};

export type FhirImportStats =
  | { skipped: string }
  | {
      path: string;
      practice: string;
      files: number;
      resources: number;
      patients: { created: number; updated: number; rejected: number };
      entries: number;
      errors: number;
      seconds: number;
      resourcesPerSec: number;
    };

export type ServerReady = {
  port: number;
  dbKind: string;
  accounts: string[];
  record: RecordStats;
  fhirImport: FhirImportStats;
  /** The repeat prescriptions practice (issue #11); null with BENCH_PRESCRIPTIONS=0. */
  prescriptions: RxReady | null;
  /** 2018-19 POMI (issue #12); null with BENCH_POMI=0 or without ../shared/data/pomi. */
  pomi: PomiReady | null;
  setupMs: {
    database: number;
    demo: number;
    prescriptions: number;
    record: number;
    fhir: number;
    accounts: number;
    app: number;
  };
};

const accountCount = Math.max(0, Math.min(2000, Number(process.env.BENCH_ACCOUNTS ?? '200')));
const t0 = performance.now();
const db = await testDatabase();
const t1 = performance.now();
await loadDemo(db.db, systemClock);
const t2 = performance.now();

const ctx = { db: db.db, clock: systemClock, meta: null };

// --- The repeat prescriptions practice (before the FHIR import, which steps round its NHS numbers)
let prescriptions: RxReady | null = null;
let rxDir: string | null = null;
if (process.env.BENCH_PRESCRIPTIONS !== '0') {
  const { seed, orders } = await seedPrescriptions(db.db, systemClock);
  rxDir = mkdtempSync(join(tmpdir(), 'gpo-bench-rx-'));
  const ordersFile = join(rxDir, 'orders.json');
  writeFileSync(ordersFile, JSON.stringify(orders));
  prescriptions = { ...seed, ordersFile };
}
const t2rx = performance.now();

// --- All of 2018-19's POMI (issue #12), its import timed
const pomi =
  process.env.BENCH_POMI === '0'
    ? null
    : await loadPomi(ctx, resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data/pomi'));

// --- The 25-year record of full.patient ----------------------------------------------------------
const fullEmail = DEMO_PATIENTS.find((p) => p.email.startsWith('full.patient@'))?.email;
if (!fullEmail) throw new Error('no full.patient demo account');
const owner = await db.db
  .selectFrom('online_accounts')
  .select(['patient_id', 'practice_ods'])
  .where('email', '=', fullEmail)
  .executeTakeFirst();
if (!owner?.patient_id || !owner.practice_ods) throw new Error(`${fullEmail} has no linked patient`);
const today = systemClock.now().toISOString().slice(0, 10);
const generated = generateRecord(RECORD.seed, { today, ...RECORD });
const importStarted = performance.now();
await importEntries(
  ctx,
  { kind: 'system' },
  { practiceOds: owner.practice_ods, patientId: owner.patient_id, entries: generated.entries },
);
const importMs = performance.now() - importStarted;
const kindRows = await db.db
  .selectFrom('record_entries')
  .select([
    'kind',
    sql<number>`count(*)::int`.as('n'),
    sql<number>`count(*) filter (where jsonb_array_length(coding) > 0)::int`.as('coded'),
    sql<number>`count(*) filter (where text is not null and text <> '')::int`.as('with_text'),
  ])
  .where('practice_ods', '=', owner.practice_ods)
  .where('patient_id', '=', owner.patient_id)
  .groupBy('kind')
  .orderBy('kind')
  .execute();
const byKind = Object.fromEntries(kindRows.map((r) => [r.kind, r.n]));
const record: RecordStats = {
  email: fullEmail,
  generated: generated.entries.length,
  byKind,
  total: kindRows.reduce((n, r) => n + r.n, 0),
  coded: kindRows.reduce((n, r) => n + r.coded, 0),
  codedClinical: kindRows
    .filter((r) => r.kind !== 'consultation' && r.kind !== 'document')
    .reduce((n, r) => n + r.coded, 0),
  consultationsWithText: kindRows.find((r) => r.kind === 'consultation')?.with_text ?? 0,
  documents: byKind.document ?? 0,
  importMs: Math.round(importMs),
  entriesPerSec: Math.round(generated.entries.length / Math.max(importMs / 1000, 0.001)),
};
const short = [
  record.coded < RECORD_MIN.coded && `${String(record.coded)} coded entries (< ${String(RECORD_MIN.coded)})`,
  record.consultationsWithText < RECORD_MIN.consultations &&
    `${String(record.consultationsWithText)} consultations with text (< ${String(RECORD_MIN.consultations)})`,
  record.documents < RECORD_MIN.documents &&
    `${String(record.documents)} documents (< ${String(RECORD_MIN.documents)})`,
].filter((x): x is string => typeof x === 'string');
if (short.length) throw new Error(`bench record too small: ${short.join(', ')}`);
const t2a = performance.now();

// --- FHIR import speed, on a practice of its own --------------------------------------------------
let fhirImport: FhirImportStats = { skipped: 'skipped: ../shared/data not found' };
if (existsSync(FHIR_DIR)) {
  await addPractice(
    ctx,
    { kind: 'system' },
    {
      odsCode: FHIR_PRACTICE,
      name: 'BENCH FHIR IMPORT PRACTICE',
      addressLines: ['1 BENCH STREET'],
      postcode: 'LS1 1AA',
      commissionerCode: null,
      status: 'active',
      prescribingSetting: 4,
      openDate: '2000-01-01',
      closeDate: null,
      phone: null,
    },
  );
  const s = await importFhirPath(ctx, FHIR_PRACTICE, FHIR_DIR, { assignTestNhsNumbers: true });
  const entries = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  fhirImport = {
    path: FHIR_DIR,
    practice: FHIR_PRACTICE,
    files: s.files,
    resources: s.resources,
    patients: s.patients,
    entries: entries(s.entries.created) + entries(s.entries.updated),
    errors: s.errors.length,
    seconds: Math.round(s.seconds * 100) / 100,
    resourcesPerSec: Math.round(s.resources / Math.max(s.seconds, 0.001)),
  };
}
const t2b = performance.now();
const accounts: string[] = [];
for (let i = 0; i < accountCount; i++) {
  const email = `bench.${String(i).padStart(4, '0')}@bench.gp-online.test`;
  await addPatientWithAccount(ctx, {
    email,
    password: DEMO_PASSWORD,
    totpSecret: BENCH_TOTP_SECRET,
    practice: 'P81082',
    // Demo patients use seeds 100-299; these stay well clear of them and of each other.
    nhsNumber: testNhsNumber(500_000 + i * 10),
    given: 'Bench',
    family: `Patient${String(i)}`,
    birthDate: '1980-01-31',
    proofing: 'P9',
    recordLevel: 'summary',
    services: 'appointments,repeats',
  });
  accounts.push(email);
}
const t3 = performance.now();

const dataDir = mkdtempSync(join(tmpdir(), 'gpo-bench-'));
const config = loadConfig(
  {},
  {
    dataDir,
    databaseUrl: null,
    sessionSecret: 'x'.repeat(40),
    demo: false,
    port: 0,
    host: '127.0.0.1',
  },
);
const app = await buildApp({ config, db: db.db, dbKind: db.kind, clock: systemClock }, { logger: false });
// Baseline `hello`: a trivial JSON route behind the same plugins and the same bearer-token lookup
// (the global onRequest hook). Added here only, before ready(), so src/ stays untouched.
app.get('/bench/hello', { config: { audience: 'patient' } }, async () => ({ hello: 'world' }));
// Baseline `layout` is GET /accessibility: a near-empty static page in the full site layout
// (nunjucks, CSRF token, CSP nonce), so no extra template is needed.
await app.listen({ port: 0, host: '127.0.0.1' });
const t4 = performance.now();

const ready: ServerReady = {
  port: (app.server.address() as { port: number }).port,
  dbKind: db.kind,
  accounts,
  record,
  fhirImport,
  prescriptions,
  pomi,
  setupMs: {
    database: Math.round(t1 - t0),
    demo: Math.round(t2 - t1),
    prescriptions: Math.round(t2rx - t2),
    record: Math.round(t2a - t2rx),
    fhir: Math.round(t2b - t2a),
    accounts: Math.round(t3 - t2b),
    app: Math.round(t4 - t3),
  },
};
process.stdout.write(JSON.stringify(ready) + '\n');

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(1), 15_000);
  timer.unref();
  app
    .close()
    .then(() => db.dispose())
    .then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      if (rxDir) rmSync(rxDir, { recursive: true, force: true });
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// If the parent dies, stdin closes: stop too, so no server is left behind.
process.stdin.on('end', stop);
process.stdin.resume();
