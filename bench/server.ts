// Benchmark server: runs in its own process so the load generator and the app do not share an
// event loop. Makes a fresh database the way the tests do (PostgreSQL when DATABASE_URL is set,
// otherwise a PGlite copy), loads the demo data plus BENCH_ACCOUNTS extra patient accounts for the
// sign-in scenario, adds two baseline routes, listens on 127.0.0.1:0 and prints one JSON line.
// Stops on SIGTERM (and removes its database).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loadDemo } from '../src/demo/load.ts';
import { DEMO_PASSWORD } from '../src/demo/data.ts';
import { addPatientWithAccount } from '../src/accounts/cli.ts';
import { testNhsNumber } from '../src/accounts/rules.ts';
import { systemClock } from '../src/platform/clock.ts';
import { AppError } from '../src/platform/http/errors.ts';
import { testDatabase } from '../test/support/harness.ts';

/** Shared by every bench sign-in account (base32, 16+ characters). */
export const BENCH_TOTP_SECRET = 'GPOBENCHSIGNIN2222222222';

export type ServerReady = {
  port: number;
  dbKind: string;
  accounts: string[];
  setupMs: { database: number; demo: number; accounts: number; app: number };
};

const accountCount = Math.max(0, Math.min(2000, Number(process.env.BENCH_ACCOUNTS ?? '200')));
const t0 = performance.now();
const db = await testDatabase();
const t1 = performance.now();
await loadDemo(db.db, systemClock);
const t2 = performance.now();

const ctx = { db: db.db, clock: systemClock, meta: null };
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
app.get('/bench/hello', async (req) => {
  if (!req.actor) throw new AppError('unauthenticated', 'You need to sign in');
  return { hello: 'world' };
});
// Baseline `layout` is GET /accessibility: a near-empty static page in the full site layout
// (nunjucks, CSRF token, CSP nonce), so no extra template is needed.
await app.listen({ port: 0, host: '127.0.0.1' });
const t4 = performance.now();

const ready: ServerReady = {
  port: (app.server.address() as { port: number }).port,
  dbKind: db.kind,
  accounts,
  setupMs: {
    database: Math.round(t1 - t0),
    demo: Math.round(t2 - t1),
    accounts: Math.round(t3 - t2),
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
