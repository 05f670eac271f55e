// `npm run bench`: load-tests GP Online over loopback with autocannon. For each database (PGlite
// always; PostgreSQL too when DATABASE_URL is set, or choose with --db pglite|postgres|both) it
// starts bench/server.ts in a child process on a fresh database with the demo data, signs in over
// real HTTP, and measures two baselines and two real scenarios:
//   hello          GET /bench/hello with a bearer token: plugins + token lookup + tiny JSON
//   layout         GET /accessibility: a near-empty page in the full site layout
//   sign-in (API)  POST /api/v1/auth/token, rotating through the bench accounts (argon2: slow)
//   patient home   GET /patient with a signed-in session cookie (full.patient)
// Options: --duration S (10) --connections N (50) --warmup S (2) --accounts N (200) --db KIND.
// Writes bench/results/<timestamp>.json and bench/results/latest.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../src/demo/data.ts';
import { totpCode } from '../src/platform/auth/secrets.ts';
import type { ServerReady } from './server.ts';

const here = dirname(fileURLToPath(import.meta.url));
const SIGN_IN_LIMIT = 10; // POST /api/v1/auth/token: 10 per 15 minutes per (ip, email)
const BENCH_TOTP_SECRET = 'GPOBENCHSIGNIN2222222222'; // as in bench/server.ts

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '2' },
    accounts: { type: 'string', default: '200' },
    db: { type: 'string' },
  },
});
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

type Server = { child: ChildProcess; ready: ServerReady; base: string };

async function startServer(kind: string): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_ACCOUNTS: String(accountCount) };
  if (kind === 'pglite') delete env.DATABASE_URL;
  const child = spawn(process.execPath, [join(here, 'server.ts')], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<ServerReady>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('server did not start within 120 s'));
    }, 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)} before it was ready`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as ServerReady);
    });
  });
  child.removeAllListeners('exit');
  return { child, ready, base: `http://127.0.0.1:${String(ready.port)}` };
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      s.child.kill('SIGKILL');
    }, 20_000);
    s.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    s.child.kill('SIGTERM');
  });
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${String(pid)}/status`, 'utf8'),
    );
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // not Linux, or the process has gone
  }
}

/** Polls the server's resident memory every 100 ms while `fn` runs; returns the peak in MB. */
async function withRssPeak<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = statusKb(pid, 'VmRSS');
  const timer = setInterval(() => {
    peak = Math.max(peak, statusKb(pid, 'VmRSS'));
  }, 100);
  try {
    const result = await fn();
    peak = Math.max(peak, statusKb(pid, 'VmRSS'));
    return { result, peakMb: peak / 1024 };
  } finally {
    clearInterval(timer);
  }
}

// --- Signing in over real HTTP -----------------------------------------------------------------

async function apiToken(base: string, email: string, secret: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD, otp: totpCode(secret, new Date()) }),
  });
  if (res.status !== 200) throw new Error(`token sign-in failed: ${String(res.status)} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

class Jar {
  readonly cookies = new Map<string, string>();
  keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function submit(
  base: string,
  jar: Jar,
  path: string,
  fields: Record<string, string>,
): Promise<Response> {
  const page = await fetch(base + path, { headers: { cookie: jar.header() }, redirect: 'manual' });
  jar.keep(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error(`no CSRF token on ${path} (status ${String(page.status)})`);
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: token }).toString(),
    redirect: 'manual',
  });
  jar.keep(res);
  await res.arrayBuffer();
  return res;
}

/** The real patient sign-in: form with CSRF token, then the security-code page. */
async function sessionCookie(base: string, email: string, secret: string): Promise<string> {
  const jar = new Jar();
  const r1 = await submit(base, jar, '/patient/sign-in', { email, password: DEMO_PASSWORD });
  if (r1.status !== 302) throw new Error(`sign-in form: ${String(r1.status)}`);
  const r2 = await submit(base, jar, '/patient/sign-in/code', { code: totpCode(secret, new Date()) });
  if (r2.status !== 302 || r2.headers.get('location') !== '/patient')
    throw new Error(`code form: ${String(r2.status)} ${String(r2.headers.get('location'))}`);
  const check = await fetch(`${base}/patient`, { headers: { cookie: jar.header() }, redirect: 'manual' });
  await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`GET /patient after sign-in: ${String(check.status)}`);
  return `gpo_session=${jar.cookies.get('gpo_session') ?? ''}`;
}

// --- Scenarios ---------------------------------------------------------------------------------

type ScenarioResult = {
  scenario: string;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  tooMany: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  peakRssMb: number;
  vsHello: number | null;
  vsLayout: number | null;
};

type CannonOptions = Partial<autocannon.Options> & { path?: string };
type Scenario = {
  name: string;
  options: (phase: 'warmup' | 'measure') => CannonOptions;
};

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
  const server = await startServer(kind);
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
    ];

    const results: ScenarioResult[] = [];
    for (const s of scenarios) {
      if (warmup > 0) await cannon(base, { ...s.options('warmup'), duration: warmup });
      const { result, peakMb } = await withRssPeak(pid, () => cannon(base, s.options('measure')));
      results.push(summarise(s.name, result, peakMb));
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

// --- Output ------------------------------------------------------------------------------------

function table(db: Awaited<ReturnType<typeof benchDatabase>>): string {
  const head = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx/errors',
    '429',
    'peak RSS MB',
    '÷hello',
    '÷layout',
  ];
  const fmt = (n: number | null, d = 1) => (n === null ? '-' : n.toFixed(d));
  const rows = db.scenarios.map((r) => [
    r.scenario,
    fmt(r.reqPerSec),
    fmt(r.p50Ms),
    fmt(r.p99Ms),
    `${String(r.non2xx - r.tooMany)}/${String(r.errors)}`,
    String(r.tooMany),
    fmt(r.peakRssMb),
    fmt(r.vsHello, 3),
    fmt(r.vsLayout, 3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [
    `${db.database}: ${String(connections)} connections, ${String(duration)} s each (+${String(warmup)} s warm-up); server peak RSS (VmHWM) ${String(db.peakRssMb)} MB; setup ${JSON.stringify(db.setupMs)} ms`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

const startedAt = new Date();
const runs = [];
for (const kind of kinds) {
  console.error(`Benchmarking on ${kind}…`);
  const r = await benchDatabase(kind);
  runs.push(r);
  console.log(`\n${table(r)}\n`);
}

const report = {
  startedAt: startedAt.toISOString(),
  node: process.version,
  settings: { duration, connections, warmup, accounts: accountCount, loopback: '127.0.0.1' },
  notes: {
    hello:
      'GET /bench/hello (added in bench/server.ts) with a bearer token: same plugins and auth, tiny JSON',
    layout: 'GET /accessibility: near-empty static page in the site layout',
    'non-2xx/errors': 'non-2xx responses other than 429 / connection errors; 429s counted separately',
    'sign-in (API)':
      'POST /api/v1/auth/token rotating through the bench accounts; the sign-in rate limit is per (address, account), 10 per 15 minutes, so the total is capped at 10 per account',
    peakRss:
      'per scenario: highest VmRSS of the server process sampled every 100 ms; per run: VmHWM at the end (includes setup)',
  },
  runs,
};
const dir = join(here, 'results');
mkdirSync(dir, { recursive: true });
const json = JSON.stringify(report, null, 2) + '\n';
const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, json);
writeFileSync(join(dir, 'latest.json'), json);
console.log(`Results: ${file}`);
