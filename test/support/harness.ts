// Test support: a real app on a real database. PGlite copies from a prepared template folder;
// PostgreSQL (DATABASE_URL set) gets a fresh database cloned from a migrated template database.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import lockfile from 'proper-lockfile';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { fixedClock, systemClock, type Clock } from '../../src/platform/clock.ts';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/index.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { totpCode, totpStep } from '../../src/platform/auth/secrets.ts';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedData = join(root, '..', 'shared', 'data');
export const databaseUrl = process.env.DATABASE_URL || null;
export const inCi = process.env.CI === 'true';

/** Migrations change the template: its name carries a hash of the migration files. */
function migrationsHash(): string {
  const dir = join(root, 'src', 'platform', 'db', 'migrations');
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  return h.digest('hex').slice(0, 12);
}

async function pgliteTemplate(): Promise<string> {
  const base = join(root, '.tmp', 'test-templates');
  mkdirSync(base, { recursive: true });
  const dir = join(base, `pglite-${migrationsHash()}`);
  const release = await lockfile.lock(base, {
    lockfilePath: join(base, '.lock'),
    retries: { retries: 200, minTimeout: 50, maxTimeout: 200 },
    stale: 60_000,
  });
  try {
    if (!existsSync(join(dir, 'READY'))) {
      rmSync(dir, { recursive: true, force: true });
      const h = await openDatabase({ databaseUrl: null, pgliteDir: dir, unlocked: true });
      await migrateToLatest(h.db);
      await h.close();
      cpSync(join(base, '..', '..', 'package.json'), join(dir, 'READY'));
    }
  } finally {
    await release();
  }
  return dir;
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl ?? '' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function postgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = `gpo_template_${migrationsHash()}`;
  const name = `gpo_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (c) => {
    await c.query('select pg_advisory_lock(72431)');
    try {
      const exists = await c.query('select 1 from pg_database where datname = $1', [template]);
      if (exists.rowCount === 0) {
        await c.query(`create database ${template}`);
        const url = new URL(databaseUrl ?? '');
        url.pathname = `/${template}`;
        const h = await openDatabase({ databaseUrl: url.toString(), pgliteDir: '', poolSize: 1 });
        await migrateToLatest(h.db);
        await h.close();
      }
      await c.query(`create database ${name} template ${template}`);
    } finally {
      await c.query('select pg_advisory_unlock(72431)');
    }
  });
  const url = new URL(databaseUrl ?? '');
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // pg's pool.end() resolves before its sockets have closed: wait for them to go rather
    // than terminating them (force is the last resort).
    drop: () =>
      withAdmin(async (c) => {
        for (let i = 0; i < 50; i++) {
          const r = await c.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (r.rows[0]?.n === 0) break;
          await new Promise((res) => setTimeout(res, 20));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      }),
  };
}

export type TestDb = DatabaseHandle & { dispose: () => Promise<void> };

export async function testDatabase(): Promise<TestDb> {
  if (databaseUrl) {
    const { url, drop } = await postgresDatabase();
    const h = await openDatabase({ databaseUrl: url, pgliteDir: '', poolSize: 20 });
    return {
      ...h,
      dispose: async () => {
        await h.close();
        await drop();
      },
    };
  }
  const template = await pgliteTemplate();
  const dir = join(tmpdir(), `gpo-test-${randomBytes(6).toString('hex')}`);
  cpSync(template, dir, { recursive: true });
  rmSync(join(dir, 'READY'), { force: true });
  const h = await openDatabase({ databaseUrl: null, pgliteDir: dir, unlocked: true });
  return {
    ...h,
    dispose: async () => {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestApp = {
  routes: { method: string; url: string }[];
  app: FastifyInstance;
  db: TestDb;
  clock: Clock & { set?: (d: Date | string) => void; advance?: (ms: number) => void };
  close: () => Promise<void>;
};

export async function testApp(options: { clock?: Clock; demo?: boolean } = {}): Promise<TestApp> {
  const db = await testDatabase();
  const clock = options.clock ?? systemClock;
  const config = loadConfig(
    {},
    {
      dataDir: join(tmpdir(), 'gpo-test-config'),
      databaseUrl: null,
      sessionSecret: 'test-secret-test-secret-test-secret-0123',
      totpKey: Buffer.from('7'.repeat(64), 'hex'),
      demo: options.demo ?? false,
    },
  );
  const routes: { method: string; url: string }[] = [];
  const app = await buildApp({ config, db: db.db, dbKind: db.kind, clock }, { routes });
  await app.ready();
  return {
    routes,
    app,
    db,
    clock,
    close: async () => {
      await app.close();
      await db.dispose();
    },
  };
}

export { fixedClock };

// --- Browsing helpers: real cookies, real CSRF tokens ------------------------------------------

export class Browser {
  readonly cookies = new Map<string, string>();
  readonly app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.app = app;
  }

  private keep(res: LightMyRequestResponse): void {
    for (const c of res.cookies) {
      // A cleared cookie (empty, Max-Age=0 or expired at the epoch). Expiry is not judged by this
      // machine's clock: tests run the app on a fixed clock that may be days behind it.
      if (c.value === '' || c.maxAge === 0 || (c.expires && new Date(c.expires).getTime() <= 86_400_000))
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    this.keep(res);
    return res;
  }

  /** Fetches the form page for its CSRF token, then posts the form as a browser would. */
  async submit(
    formUrl: string,
    action: string,
    fields: Record<string, string | string[]>,
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(formUrl);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${formUrl} (status ${String(page.statusCode)})`);
    return this.post(action, { ...fields, _csrf: token });
  }

  async post(url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.keep(res);
    return res;
  }
}

/**
 * A security code that has not been used yet: a TOTP code works once, so a test that signs the
 * same person in twice within 30 seconds takes the next step's code (accepted for clock drift),
 * and a third time waits for the clock to move on, as a person would.
 */
export async function freshCode(
  app: FastifyInstance,
  type: 'staff' | 'patient' | null,
  email: string,
  secret: string,
  clock: Clock = systemClock,
): Promise<string> {
  const db = app.deps.db;
  const lastStep = (t: 'staff' | 'patient') =>
    db
      .selectFrom(t === 'staff' ? 'staff_users' : 'online_accounts')
      .select('totp_last_step')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
  // Without a type, as the API does: a patient account first, then staff.
  const row = type ? await lastStep(type) : ((await lastStep('patient')) ?? (await lastStep('staff')));
  const last = row?.totp_last_step == null ? -1 : Number(row.totp_last_step);
  for (;;) {
    const now = clock.now();
    const step = Math.max(totpStep(now), last + 1);
    if (step <= totpStep(now) + 1) return totpCode(secret, new Date(step * 30_000));
    if (clock !== systemClock) throw new Error('every code for this step is used: move the test clock on');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function signInStaff(
  app: FastifyInstance,
  email: string,
  password: string,
  secret: string,
  clock: Clock = systemClock,
): Promise<Browser> {
  const b = new Browser(app);
  const r1 = await b.submit('/staff/sign-in', '/staff/sign-in', { email, password });
  if (r1.statusCode !== 302) throw new Error(`staff sign-in failed: ${String(r1.statusCode)}`);
  const r2 = await b.submit('/staff/sign-in/code', '/staff/sign-in/code', {
    code: await freshCode(app, 'staff', email, secret, clock),
  });
  if (r2.statusCode !== 302) throw new Error(`staff code failed: ${String(r2.statusCode)}`);
  return b;
}

export async function apiToken(
  app: FastifyInstance,
  email: string,
  password: string,
  secret: string,
  clock: Clock = systemClock,
): Promise<string> {
  const otp = await freshCode(app, null, email, secret, clock);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: { email, password, otp },
  });
  if (res.statusCode !== 200) throw new Error(`token failed ${String(res.statusCode)}: ${res.body}`);
  return res.json<{ access_token: string }>().access_token;
}
