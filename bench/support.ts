// The bench's server process (start, stop, peak memory) and real-HTTP sign-ins.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../src/demo/index.ts';
import { totpCode } from '../src/platform/auth/secrets.ts';
import type { ServerReady } from './server.ts';

const here = dirname(fileURLToPath(import.meta.url));

export type Server = { child: ChildProcess; ready: ServerReady; base: string };

export async function startServer(
  kind: string,
  accountCount: number,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_ACCOUNTS: String(accountCount), ...extraEnv };
  if (kind === 'pglite') delete env.DATABASE_URL;
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops.
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...prof, join(here, 'server.ts')], {
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

export async function stopServer(s: Server): Promise<void> {
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

export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
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
export async function withRssPeak<T>(
  pid: number,
  fn: () => Promise<T>,
): Promise<{ result: T; peakMb: number }> {
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

export async function apiToken(base: string, email: string, secret: string): Promise<string> {
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

export async function submit(
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
export async function sessionCookie(base: string, email: string, secret: string): Promise<string> {
  const jar = new Jar();
  const r1 = await submit(base, jar, '/patient/sign-in', { email, password: DEMO_PASSWORD });
  if (r1.status !== 302) throw new Error(`sign-in form: ${String(r1.status)}`);
  // The next step's code: apiToken() has just spent this step's code for the same account.
  const r2 = await submit(base, jar, '/patient/sign-in/code', {
    code: totpCode(secret, new Date(Date.now() + 30_000)),
  });
  if (r2.status !== 302 || r2.headers.get('location') !== '/patient')
    throw new Error(`code form: ${String(r2.status)} ${String(r2.headers.get('location'))}`);
  const check = await fetch(`${base}/patient`, { headers: { cookie: jar.header() }, redirect: 'manual' });
  await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`GET /patient after sign-in: ${String(check.status)}`);
  return `gpo_session=${jar.cookies.get('gpo_session') ?? ''}`;
}

/** The real staff sign-in: form with CSRF token, then the security-code page; the account's one sign-in. */
export async function staffCookie(
  base: string,
  email: string,
  secret: string,
  options: { home?: string; codeAt?: number } = {},
): Promise<string> {
  const jar = new Jar();
  const r1 = await submit(base, jar, '/staff/sign-in', { email, password: DEMO_PASSWORD });
  if (r1.status !== 302) throw new Error(`staff sign-in form: ${String(r1.status)}`);
  const r2 = await submit(base, jar, '/staff/sign-in/code', {
    code: totpCode(secret, new Date(options.codeAt ?? Date.now())),
  });
  if (r2.status !== 302) throw new Error(`staff code form: ${String(r2.status)}`);
  // A clinician's home is the practice's patient list; a commissioner's the programme.
  const home = options.home ?? '/staff/patients';
  const check = await fetch(`${base}${home}`, {
    headers: { cookie: jar.header() },
    redirect: 'manual',
  });
  await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`GET ${home} after sign-in: ${String(check.status)}`);
  return `gpo_session=${jar.cookies.get('gpo_session') ?? ''}`;
}

// --- Scenarios ---------------------------------------------------------------------------------

export type CannonOptions = Partial<autocannon.Options> & { path?: string };
export type Scenario = {
  name: string;
  options: (phase: 'warmup' | 'measure') => CannonOptions;
};

export type ScenarioResult = {
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
