// `npm run bench`: load-tests GP Online over loopback with autocannon. For each database (PGlite
// always; PostgreSQL too when DATABASE_URL is set, or choose with --db pglite|postgres|both) it
// starts bench/server.ts in a child process on a fresh database with the demo data, signs in over
// real HTTP, and measures two baselines and two real scenarios:
//   hello          GET /bench/hello with a bearer token: plugins + token lookup + tiny JSON
//   layout         GET /accessibility: a near-empty page in the full site layout
//   sign-in (API)  POST /api/v1/auth/token, rotating through the bench accounts (argon2: slow)
//   patient home   GET /patient with a signed-in session cookie (full.patient)
// and the record scenarios over full.patient's 25-year record (set up by bench/server.ts):
//   record summary (page)   GET /patient/record
//   record <slug> (page)    GET /patient/record/<slug>: the heaviest sections (consultations,
//                           test-results, measurements, documents, medicines); every section the
//                           full level shows with --all-sections
//   record (API)            GET /api/v1/record with a bearer token: the whole visible record
// and the repeat prescription scenarios (issue #11, bench/prescriptions.ts) on a practice of
// 10,000 patients, 40,000 repeat templates and 20,000 open items: queue page, queue page
// (filtered, page 2), patient repeats page and order via API (each order a fresh repeat: 201).
// and the programme scenarios (issue #12, bench/programme.ts) over all 12 months of 2018-19 POMI
// when ../shared/data/pomi exists: England and region dashboard pages, the summary API.
// Target checks (printed as PASS/FAIL, never a failing exit): record pages >= 50% of layout req/s
// and p99 < 50 ms; the record API >= 20% of hello req/s; queue pages >= 50% of layout and p99 <
// 100 ms; ordering >= 20% of hello and every order 201. Also prints the record's size and import
// speed, and the FHIR import speed of ../shared/data/synthea-fhir-r4-patients when it exists.
// Options: --duration S (10) --connections N (50) --warmup S (2) --accounts N (200) --db KIND
// --all-sections --only TEXT (scenarios whose name contains TEXT, or one of A|B|C, plus the
// baselines; `--only rush`: only the 8am rush) --no-rush (skip bench/rush.ts, which otherwise runs at the end).
// BENCH_CPU_PROF=<dir> makes the server write a V8 CPU profile there.
// Writes bench/results/<timestamp>.json and bench/results/latest.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../src/demo/data.ts';
import { totpCode } from '../src/platform/auth/secrets.ts';
import { kindsFor } from '../src/record/access/rules.ts';
import { SECTION_ORDER } from '../src/record/read/present.ts';
import { checkLines, recordLines, table, targetChecks, TARGETS } from './report.ts';
import { prescriptionScenarios, RX_TARGETS, rxAlone, rxLine, rxWanted } from './prescriptions.ts';
import { programmeLines, programmeScenarios, programmeWanted, PROGRAMME_TARGETS } from './programme.ts';
import {
  apiToken,
  sessionCookie,
  startServer,
  statusKb,
  stopServer,
  withRssPeak,
  type CannonOptions,
  type Scenario,
  type ScenarioResult,
} from './support.ts';

const here = dirname(fileURLToPath(import.meta.url));
// POST /api/v1/auth/token: a TOTP code works once per account (issue #8), and the bench accounts
// share one secret, so each account signs in once in the run (the rate limit, 10 per 15 minutes
// per address and account, is then never reached).
const SIGN_IN_LIMIT = 1;
const BENCH_TOTP_SECRET = 'GPOBENCHSIGNIN2222222222'; // as in bench/server.ts

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '2' },
    accounts: { type: 'string', default: '200' },
    db: { type: 'string' },
    'all-sections': { type: 'boolean', default: false },
    only: { type: 'string' },
    rush: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const HEAVY_SECTIONS = ['consultations', 'test-results', 'measurements', 'documents', 'medicines'];
const sectionSlugs = SECTION_ORDER.filter((s) => kindsFor('full').includes(s.kind))
  .map((s) => s.slug)
  .filter((slug) => args['all-sections'] || HEAVY_SECTIONS.includes(slug));
/** Targets from the issue: record pages against `layout`, the record API against `hello`. */
const duration = Math.max(1, Math.min(60, Number(args.duration)));
const connections = Math.max(1, Math.min(500, Number(args.connections)));
const warmup = Math.max(0, Math.min(10, Number(args.warmup)));
const accountCount = Math.max(connections, Math.min(2000, Number(args.accounts)));
const databaseUrl = process.env.DATABASE_URL || null;
const dbChoice = args.db ?? (databaseUrl ? 'both' : 'pglite');
if (!['pglite', 'postgres', 'both'].includes(dbChoice))
  throw new Error('--db must be pglite, postgres or both');
const kinds = dbChoice === 'both' ? ['pglite', 'postgres'] : [dbChoice];
if (kinds.includes('postgres') && !databaseUrl) throw new Error('--db postgres needs DATABASE_URL');
if ([duration, connections, warmup, accountCount].some((n) => !Number.isFinite(n)))
  throw new Error('--duration, --connections, --warmup and --accounts must be numbers');

// --- The server process and its memory ----------------------------------------------------------

function cannon(base: string, { path, ...opts }: CannonOptions): Promise<autocannon.Result> {
  return autocannon({
    url: base + (path ?? ''),
    connections,
    duration,
    timeout: 30,
    ...opts,
  });
}

function summarise(name: string, r: autocannon.Result, peakRssMb: number): ScenarioResult {
  const codes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats as Record<string, { count: number | string }>))
    codes[code] = Number(v.count);
  return {
    scenario: name,
    requests: r.requests.total,
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    tooMany: codes['429'] ?? 0,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: codes,
    peakRssMb: Math.round(peakRssMb * 10) / 10,
    vsHello: null,
    vsLayout: null,
  };
}

async function benchDatabase(kind: string) {
  const started = performance.now();
  const server = await startServer(kind, accountCount, {
    BENCH_PRESCRIPTIONS: rxWanted(args.only) ? '1' : '0',
    BENCH_POMI: programmeWanted(args.only) ? '1' : '0',
  });
  const { base, ready } = server;
  const pid = server.child.pid ?? 0;
  try {
    const full = DEMO_PATIENTS.find((p) => p.email.startsWith('full.patient@'));
    if (!full) throw new Error('no full.patient demo account');
    const token = await apiToken(base, full.email, full.totpSecret);
    const cookie = await sessionCookie(base, full.email, full.totpSecret);

    // Sign-in rotates through the bench accounts; each may be used SIGN_IN_LIMIT times in all.
    const accounts = ready.accounts;
    const budget = accounts.length * SIGN_IN_LIMIT;
    let sent = 0;
    let codeAt = 0;
    let code = '';
    const signInRequest = {
      method: 'POST' as const,
      path: '/api/v1/auth/token',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req: autocannon.Request) => {
        const now = Date.now();
        if (now - codeAt > 1000) {
          code = totpCode(BENCH_TOTP_SECRET, new Date(now));
          codeAt = now;
        }
        const i = sent % accounts.length;
        const email = accounts[i] ?? '';
        sent++;
        return {
          ...req,
          body: JSON.stringify({ email, password: DEMO_PASSWORD, otp: code }),
        };
      },
    };
    const warmupSignIns = Math.min(connections * 2, Math.floor(budget / 4));

    const scenarios: Scenario[] = [
      {
        name: 'hello',
        options: () => ({ path: '/bench/hello', headers: { authorization: `Bearer ${token}` } }),
      },
      { name: 'layout', options: () => ({ path: '/accessibility' }) },
      {
        name: 'sign-in (API)',
        options: (phase) => ({
          requests: [signInRequest],
          // Never more than the rate limit allows per account, over warm-up and measurement.
          maxOverallRequests:
            phase === 'warmup' ? warmupSignIns : Math.max(connections, budget - warmupSignIns - connections),
        }),
      },
      { name: 'patient home (page)', options: () => ({ path: '/patient', headers: { cookie } }) },
      { name: 'record summary (page)', options: () => ({ path: '/patient/record', headers: { cookie } }) },
      ...sectionSlugs.map((slug) => ({
        name: `record ${slug} (page)`,
        options: () => ({ path: `/patient/record/${slug}`, headers: { cookie } }),
      })),
      {
        name: 'record (API)',
        options: () => ({ path: '/api/v1/record', headers: { authorization: `Bearer ${token}` } }),
      },
      {
        name: 'record test-results (API)',
        options: () => ({
          path: '/api/v1/record/sections/test-results',
          headers: { authorization: `Bearer ${token}` },
        }),
      },
      {
        name: 'record consultations (API)',
        options: () => ({
          path: '/api/v1/record/sections/consultations',
          headers: { authorization: `Bearer ${token}` },
        }),
      },
      // Repeat prescriptions (issue #11): bench/prescriptions.ts.
      ...(ready.prescriptions ? await prescriptionScenarios(base, ready.prescriptions, connections) : []),
      // The programme (issue #12): bench/programme.ts, over all of 2018-19's POMI.
      ...(ready.pomi ? await programmeScenarios(base) : []),
    ];

    // --only TEXT: just the scenarios whose name contains TEXT, or one of A|B|C (the baselines always run).
    if (args.only) {
      const only = args.only;
      scenarios.splice(
        0,
        scenarios.length,
        ...scenarios.filter(
          (x) => ['hello', 'layout'].includes(x.name) || only.split('|').some((o) => x.name.includes(o)),
        ),
      );
    }

    // Each record path must answer 200 before it is measured. The median of 5 lone requests is
    // kept too (the `alone ms` column), to separate the cost of one request from queueing.
    const alone = new Map<string, { ms: number; kb: number }>();
    for (const s of scenarios.filter((x) => x.name.startsWith('record'))) {
      const o = s.options('measure');
      const times: number[] = [];
      let kb = 0;
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        const res = await fetch(base + (o.path ?? ''), { headers: o.headers as Record<string, string> });
        const body = await res.text();
        if (res.status !== 200)
          throw new Error(`${s.name}: GET ${o.path ?? ''} answered ${String(res.status)}`);
        if (i > 0) times.push(performance.now() - t);
        kb = Math.round(body.length / 1024);
      }
      times.sort((a, b) => a - b);
      alone.set(s.name, { ms: times[2] ?? 0, kb });
      console.error(
        `  ${kind}: ${s.name} answers ${String(kb)} KB in ${(times[2] ?? 0).toFixed(1)} ms alone`,
      );
    }

    for (const [name, a] of await rxAlone(base, scenarios, kind)) alone.set(name, a);

    const results: (ScenarioResult & { alone: { ms: number; kb: number } | null })[] = [];
    // Requests still in flight when autocannon stops are dropped by the client but not by the
    // server; wait until it answers a database-backed request (hello) promptly before going on.
    const drain = async () => {
      const until = performance.now() + 60_000;
      while (performance.now() < until) {
        const t = performance.now();
        const res = await fetch(`${base}/bench/hello`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (performance.now() - t < 20) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    for (const s of scenarios) {
      if (warmup > 0) await cannon(base, { ...s.options('warmup'), duration: warmup });
      await drain();
      const { result, peakMb } = await withRssPeak(pid, () => cannon(base, s.options('measure')));
      await drain();
      results.push({ ...summarise(s.name, result, peakMb), alone: alone.get(s.name) ?? null });
      console.error(`  ${kind}: ${s.name} done (${String(result.requests.total)} requests)`);
    }
    const hello = results.find((r) => r.scenario === 'hello')?.reqPerSec ?? 0;
    const layout = results.find((r) => r.scenario === 'layout')?.reqPerSec ?? 0;
    for (const r of results) {
      r.vsHello = hello ? r.reqPerSec / hello : null;
      r.vsLayout = layout ? r.reqPerSec / layout : null;
    }
    return {
      database: kind,
      serverPid: pid,
      setupMs: ready.setupMs,
      record: ready.record,
      fhirImport: ready.fhirImport,
      prescriptions: ready.prescriptions,
      pomi: ready.pomi,
      checks: targetChecks(results),
      signInAccounts: accounts.length,
      signInRequestsSent: sent,
      peakRssMb: Math.round((statusKb(pid, 'VmHWM') / 1024) * 10) / 10,
      totalSeconds: Math.round((performance.now() - started) / 100) / 10,
      scenarios: results,
    };
  } finally {
    await stopServer(server);
  }
}

// --- Target checks -----------------------------------------------------------------------------

const startedAt = new Date();
const runs = [];
const rushOnly = args.only === 'rush';
for (const kind of rushOnly ? [] : kinds) {
  console.error(`Benchmarking on ${kind}…`);
  const r = await benchDatabase(kind);
  runs.push(r);
  console.log(
    `\n${recordLines(r)}\n${rxLine(r.prescriptions)}\n\n${table(r, { connections, duration, warmup })}\n\n${checkLines(r)}\n${programmeLines(r.pomi, r.scenarios)}\n`,
  );
}

const report = {
  startedAt: startedAt.toISOString(),
  node: process.version,
  settings: {
    duration,
    connections,
    warmup,
    accounts: accountCount,
    loopback: '127.0.0.1',
    sections: sectionSlugs,
    targets: { ...TARGETS, prescriptions: RX_TARGETS, programme: PROGRAMME_TARGETS },
  },
  notes: {
    hello:
      'GET /bench/hello (added in bench/server.ts) with a bearer token: same plugins and auth, tiny JSON',
    layout: 'GET /accessibility: near-empty static page in the site layout',
    'non-2xx/errors': 'non-2xx responses other than 429 / connection errors; 429s counted separately',
    'sign-in (API)':
      'POST /api/v1/auth/token rotating through the bench accounts; a TOTP code works once per account, so each account signs in once',
    record:
      "full.patient's patient with its demo record plus generateRecord(4242, 25 years, 24 consultations and 8 documents a year); pages and API read it with the same session cookie / bearer token",
    prescriptions:
      'practice Y90001 seeded by bench/prescriptions-seed.ts: 10,000 patients, 40,000 repeat templates, 20,000 open items over 4 prescribers; queue pages as its first prescriber, the repeats page as repeats.patient, orders with prepared bearer tokens, each a repeat not yet ordered',
    peakRss:
      'per scenario: highest VmRSS of the server process sampled every 100 ms; per run: VmHWM at the end (includes setup)',
  },
  runs,
};
if (!rushOnly) {
  const dir = join(here, 'results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(report, null, 2) + '\n';
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, json);
  writeFileSync(join(dir, 'latest.json'), json);
  console.log(`Results: ${file}`);
}

// The 8am-rush scenarios (issue #4) run in their own servers: bench/rush.ts, with the same options.
if (args.rush && (!args.only || rushOnly || args.only.includes('rush'))) {
  const forward = process.argv.slice(2).filter((a) => a !== '--no-rush');
  const code = await new Promise<number | null>((resolve) => {
    spawn(process.execPath, [join(here, 'rush.ts'), ...forward], { stdio: 'inherit' }).once('exit', resolve);
  });
  if (code !== 0) process.exitCode = code ?? 1;
}
