// The "8am rush" (issue #4): 300 slots released at once, 3,000 signed-in patients (API tokens
// prepared beforehand), 200 connections all trying to book. Each attempt is
// POST /api/v1/appointments for a random slot of the patient's practice, patients taking turns.
// Reports attempts per second, p50/p99, appointments made (must equal the slots), double
// bookings and patients over the limit (both must be 0, read from the database afterwards), 5xx
// answers (must be 0) and peak RSS, beside `hello` and `layout` measured on the same server just
// before. Variants: PGlite; PostgreSQL with 1 and 2 worker processes; and 100 practices with
// 30,000 patients on PostgreSQL with 2 workers.
// `node bench/rush.ts [--db pglite|postgres|both] [--duration S] [--connections N] [--only TEXT]`;
// `npm run bench` runs it after the other scenarios. PostgreSQL variants need DATABASE_URL.
import { spawn } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { RushFile, RushReady } from './rush-server.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  strict: false,
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '200' },
    db: { type: 'string' },
    only: { type: 'string' },
  },
});
const duration = Math.max(1, Math.min(60, Number(args.duration)));
const connections = Math.max(1, Math.min(1000, Number(args.connections)));
const BASELINE_CONNECTIONS = 50;
const databaseUrl = process.env.DATABASE_URL || null;
const dbChoice = typeof args.db === 'string' ? args.db : databaseUrl ? 'both' : 'pglite';
const TARGETS = { p99Ms: 150, vsHello: 0.2 };

type Variant = {
  name: string;
  db: 'pglite' | 'postgres';
  practices: number;
  patients: number;
  workers: number;
};
const ALL: Variant[] = [
  { name: '8am rush, 1 practice', db: 'pglite', practices: 1, patients: 3000, workers: 1 },
  { name: '8am rush, 1 practice', db: 'postgres', practices: 1, patients: 3000, workers: 1 },
  { name: '8am rush, 1 practice, 2 workers', db: 'postgres', practices: 1, patients: 3000, workers: 2 },
  { name: '8am rush, 100 practices, 2 workers', db: 'postgres', practices: 100, patients: 30000, workers: 2 },
];
const VARIANTS = ALL.filter(
  (v) =>
    (dbChoice === 'both' || dbChoice === v.db) &&
    (v.db === 'pglite' || databaseUrl) &&
    (typeof args.only !== 'string' || args.only === 'rush' || v.name.includes(args.only)),
);

function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

async function start(v: Variant) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RUSH_PRACTICES: String(v.practices),
    RUSH_PATIENTS: String(v.patients),
    RUSH_SLOTS: '300',
    RUSH_WORKERS: String(v.workers),
  };
  if (v.db === 'pglite') delete env.DATABASE_URL;
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops.
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...prof, join(here, 'rush-server.ts')], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ready = await new Promise<RushReady>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('rush server did not start within 600 s'));
    }, 600_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rush server exited with ${String(code)}`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as RushReady);
    });
  });
  child.removeAllListeners('exit');
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) {
        resolve();
        return;
      }
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { ready, stop, base: `http://127.0.0.1:${String(ready.port)}` };
}

async function measure(pids: number[], opts: autocannon.Options) {
  let peak = rssMb(pids);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pids))), 100);
  try {
    const r = await autocannon({ timeout: 30, ...opts });
    return { r, peak };
  } finally {
    clearInterval(timer);
  }
}

const codes = (r: autocannon.Result) => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.statusCodeStats as Record<string, { count: number | string }>))
    out[k] = Number(v.count);
  return out;
};

async function runVariant(v: Variant) {
  console.error(`8am rush: ${v.name} on ${v.db}: preparing ${String(v.patients)} patients…`);
  const s = await start(v);
  try {
    const data = JSON.parse(readFileSync(s.ready.file, 'utf8')) as RushFile;
    const anyToken = data.practices[0]?.tokens[0] ?? '';
    const auth = { authorization: `Bearer ${anyToken}` };
    await autocannon({
      url: `${s.base}/bench/hello`,
      headers: auth,
      connections: BASELINE_CONNECTIONS,
      duration: 2,
    });
    const hello = await measure(s.ready.pids, {
      url: `${s.base}/bench/hello`,
      headers: auth,
      connections: BASELINE_CONNECTIONS,
      duration,
    });
    const layout = await measure(s.ready.pids, {
      url: `${s.base}/accessibility`,
      connections: BASELINE_CONNECTIONS,
      duration,
    });
    // Patients take turns; each tries a random slot of their own practice.
    const patients = data.practices.flatMap((p) => p.tokens.map((token) => ({ token, slots: p.slots })));
    let turn = 0;
    const rush = await measure(s.ready.pids, {
      url: s.base,
      connections,
      duration,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/appointments',
          setupRequest: (req: autocannon.Request) => {
            const p = patients[turn++ % patients.length];
            const slotId = p?.slots[Math.floor(Math.random() * p.slots.length)] ?? '';
            return {
              ...req,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${p?.token ?? ''}` },
              body: JSON.stringify({ slotId }),
            };
          },
        },
      ],
    });
    const statsRes = await fetch(`${s.base}/bench/rush-stats`, { headers: auth });
    const stats = (await statsRes.json()) as {
      appointments: number;
      double_booked: number;
      over_limit: number;
    };
    const c = codes(rush.r);
    const fivexx = Object.entries(c)
      .filter(([k]) => k.startsWith('5'))
      .reduce((a, [, n]) => a + n, 0);
    return {
      variant: v.name,
      db: v.db,
      workers: v.workers,
      practices: v.practices,
      patients: v.patients,
      slots: s.ready.slots,
      setupMs: s.ready.setupMs,
      hello: { reqPerSec: hello.r.requests.average, p99Ms: hello.r.latency.p99 },
      layout: { reqPerSec: layout.r.requests.average, p99Ms: layout.r.latency.p99 },
      attempts: rush.r.requests.total,
      attemptsPerSec: rush.r.requests.average,
      p50Ms: rush.r.latency.p50,
      p99Ms: rush.r.latency.p99,
      statusCodes: c,
      booked201: c['201'] ?? 0,
      refused409: c['409'] ?? 0,
      fivexx,
      errors: rush.r.errors + rush.r.timeouts,
      appointments: stats.appointments,
      doubleBookings: stats.double_booked,
      patientsOverLimit: stats.over_limit,
      peakRssMb: Math.round(rush.peak),
      vsHello: rush.r.requests.average / Math.max(1, hello.r.requests.average),
    };
  } finally {
    await s.stop();
  }
}

type Row = Awaited<ReturnType<typeof runVariant>>;

function checks(r: Row): { pass: boolean; text: string }[] {
  const out = [
    r.practices === 1
      ? {
          pass: r.appointments === r.slots,
          text: `every slot booked (${String(r.appointments)} of ${String(r.slots)})`,
        }
      : {
          pass: r.appointments >= r.booked201 && r.appointments <= r.slots,
          text: `every 201 is an appointment in the database (${String(r.appointments)} appointments, ${String(r.booked201)} answers 201 in time, ${String(r.slots)} slots)`,
        },
    { pass: r.doubleBookings === 0, text: `double bookings = 0 (${String(r.doubleBookings)})` },
    {
      pass: r.patientsOverLimit === 0,
      text: `patients over their limit = 0 (${String(r.patientsOverLimit)})`,
    },
    {
      pass: r.fivexx === 0 && r.errors === 0,
      text: `5xx answers and errors = 0 (${String(r.fivexx)}, ${String(r.errors)})`,
    },
  ];
  if (r.db === 'postgres')
    out.push(
      { pass: r.p99Ms < TARGETS.p99Ms, text: `p99 < ${String(TARGETS.p99Ms)} ms (${String(r.p99Ms)} ms)` },
      {
        pass: r.vsHello >= TARGETS.vsHello,
        text: `attempts >= 20% of hello (${(r.vsHello * 100).toFixed(1)}%)`,
      },
    );
  return out;
}

function print(rows: Row[]): void {
  const head = [
    'variant',
    'db',
    'attempts/s',
    'p50',
    'p99',
    '201',
    '409',
    '5xx',
    'booked',
    'slots',
    'double',
    'hello/s',
    'layout/s',
    '÷hello',
    'RSS MB',
  ];
  const body = rows.map((r) => [
    r.variant,
    r.db,
    r.attemptsPerSec.toFixed(0),
    String(r.p50Ms),
    String(r.p99Ms),
    String(r.booked201),
    String(r.refused409),
    String(r.fivexx),
    String(r.appointments),
    String(r.slots),
    String(r.doubleBookings),
    r.hello.reqPerSec.toFixed(0),
    r.layout.reqPerSec.toFixed(0),
    r.vsHello.toFixed(3),
    String(r.peakRssMb),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(w[i] ?? 0) : c.padStart(w[i] ?? 0))).join('  ');
  console.log(
    `\n8am rush: ${String(connections)} connections, ${String(duration)} s; baselines at ${String(BASELINE_CONNECTIONS)} connections on the same server`,
  );
  console.log([line(head), line(w.map((n) => '-'.repeat(n))), ...body.map(line)].join('\n'));
  for (const r of rows)
    for (const c of checks(r)) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${r.db}: ${r.variant}: ${c.text}`);
}

const rows: Row[] = [];
for (const v of VARIANTS) rows.push(await runVariant(v));
print(rows);
const dir = join(here, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `rush-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const json =
  JSON.stringify(
    { connections, duration, baselineConnections: BASELINE_CONNECTIONS, targets: TARGETS, rows },
    null,
    2,
  ) + '\n';
writeFileSync(file, json);
writeFileSync(join(dir, 'rush-latest.json'), json);
console.log(`Results: ${file}`);
