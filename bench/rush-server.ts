// The "8am rush" benchmark server. Builds a fresh database (PostgreSQL when DATABASE_URL is set,
// else a PGlite copy) with RUSH_PRACTICES practices, RUSH_SLOTS online-bookable slots each (ten
// 30-slot clinics tomorrow, released now, as at 08:00), and RUSH_PATIENTS linked patients with
// online booking on, spread over the practices, each with an API token prepared beforehand (no
// sign-in during the rush). With RUSH_WORKERS > 1 (PostgreSQL only) it serves from that many
// node:cluster processes on one port. Prints one JSON line when ready; the tokens and slot ids go
// to a file named in it. GET /bench/rush-stats counts appointments, double bookings and patients
// over the limit straight from the database. Stops on SIGTERM and removes its database.
import cluster from 'node:cluster';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { addDays, localDay, writeSession } from '../src/appointments/index.ts';
import { hashPassword } from '../src/platform/auth/secrets.ts';
import { systemClock } from '../src/platform/clock.ts';
import { openDatabase, type Db } from '../src/platform/db/index.ts';
import { postgresDatabase, testDatabase } from '../test/support/harness.ts';
import { DEMO_PASSWORD } from '../src/demo/data.ts';
import { testNhsNumber } from '../src/platform/nhs-number.ts';

const practices = Math.max(1, Number(process.env.RUSH_PRACTICES ?? '1'));
const patientCount = Math.max(practices, Number(process.env.RUSH_PATIENTS ?? '3000'));
const slotsPer = Math.max(30, Number(process.env.RUSH_SLOTS ?? '300'));
const workers = Math.max(1, Number(process.env.RUSH_WORKERS ?? '1'));
const CLINIC_SLOTS = 30; // 08:00–13:00 in 10-minute slots

export type RushReady = {
  port: number;
  dbKind: string;
  workers: number;
  practices: number;
  patients: number;
  slots: number;
  file: string;
  setupMs: number;
  pids: number[];
};
export type RushFile = { practices: { slots: string[]; tokens: string[] }[] };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function chunked<T>(rows: T[], size: number, write: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/** Practices, a clinic book each, patients with accounts and tokens: bulk SQL, then the real session writer for slots. */
async function prepare(db: Db): Promise<RushFile> {
  const now = systemClock.now();
  const tomorrow = addDays(localDay(now), 1);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const out: RushFile = { practices: [] };
  const codes = Array.from({ length: practices }, (_, i) => `R${String(i).padStart(5, '0')}`);
  await db
    .insertInto('practices')
    .values(codes.map((c) => ({ ods_code: c, name: `Rush practice ${c}` })))
    .execute();
  let seed = 600_000;
  for (const [pi, ods] of codes.entries()) {
    const clinics = Math.ceil(slotsPer / CLINIC_SLOTS);
    const people = Array.from({ length: clinics }, (_, i) => ({
      id: randomUUID(),
      practice_ods: ods,
      name: `Dr Rush ${String(i + 1)}`,
      role: 'gp' as const,
      gender: 'not-stated' as const,
      created_at: now,
    }));
    await db.insertInto('practitioners').values(people).execute();
    const locationId = randomUUID();
    const typeId = randomUUID();
    await db
      .insertInto('locations')
      .values({ id: locationId, practice_ods: ods, name: 'Surgery', address: null, created_at: now })
      .execute();
    await db
      .insertInto('slot_types')
      .values({
        id: typeId,
        practice_ods: ods,
        name: 'GP appointment',
        duration_minutes: 10,
        channel: 'face-to-face',
        national_category: 'General Consultation Routine',
        bookable_online: true,
        practice_only: false,
        release_days_before: null,
        release_time: null,
        horizon_days: null,
        guidance: null,
        created_at: now,
      })
      .execute();
    await db.transaction().execute(async (tx) => {
      for (const p of people)
        await writeSession(tx, {
          practiceOds: ods,
          by: null,
          session: {
            practitionerId: p.id,
            locationId,
            slotTypeId: typeId,
            day: tomorrow,
            start: '08:00',
            end: '13:00',
          },
          templateId: null,
          now: now,
        });
    });
    const slots = (
      await db.selectFrom('slots').select('id').where('practice_ods', '=', ods).orderBy('starts_at').execute()
    )
      .map((s) => s.id)
      .slice(0, slotsPer);
    // Any slots past RUSH_SLOTS are removed so the practice has exactly that many.
    await db.deleteFrom('slots').where('practice_ods', '=', ods).where('id', 'not in', slots).execute();

    const n = Math.floor(patientCount / practices) + (pi < patientCount % practices ? 1 : 0);
    const patients = Array.from({ length: n }, (_, i) => {
      seed += 10;
      return {
        id: randomUUID(),
        practice_ods: ods,
        nhs_number: testNhsNumber(seed),
        given_name: 'Rush',
        family_name: `Patient${String(pi)}x${String(i)}`,
        birth_date: '1980-01-31',
        sex: 'unknown' as const,
        online_account_ref: String(100_000_000 + seed),
      };
    });
    const accounts = patients.map((p) => ({
      id: randomUUID(),
      email: `${p.family_name.toLowerCase()}@rush.gp-online.test`,
      password_hash: passwordHash,
      totp_secret: null,
      totp_confirmed_at: now,
      proofing_level: 'P5' as const,
      patient_id: p.id,
      practice_ods: ods,
      linked_at: now,
    }));
    const tokens = accounts.map(() => randomBytes(24).toString('base64url'));
    await chunked(patients, 1000, (part) => db.insertInto('patients').values(part).execute());
    await chunked(patients, 1000, (part) =>
      db
        .insertInto('online_services')
        .values(
          part.map((p) => ({
            patient_id: p.id,
            practice_ods: ods,
            appointments: true,
            repeat_prescriptions: false,
            record_level: 'none' as const,
            prospective_from: null,
            historic_access: false,
            pharmacy_view: false,
            pharmacy_update: false,
            version: 1,
            updated_by: null,
            updated_at: now,
          })),
        )
        .execute(),
    );
    await chunked(accounts, 1000, (part) => db.insertInto('online_accounts').values(part).execute());
    const expires = new Date(now.getTime() + 6 * 3_600_000);
    await chunked(
      accounts.map((a, i) => ({
        id: sha256(tokens[i] ?? ''),
        principal_type: 'patient' as const,
        principal_id: a.id,
        created_at: now,
        expires_at: expires,
      })),
      1000,
      (part) => db.insertInto('api_tokens').values(part).execute(),
    );
    out.practices.push({ slots, tokens });
  }
  await sql`analyze`.execute(db);
  return out;
}

async function serve(db: Db, kind: string) {
  const config = loadConfig(
    {},
    {
      dataDir: mkdtempSync(join(tmpdir(), 'gpo-rush-')),
      databaseUrl: null,
      sessionSecret: 'x'.repeat(40),
      demo: false,
      port: 0,
      host: '127.0.0.1',
    },
  );
  const app = await buildApp(
    { config, db, dbKind: kind === 'pglite' ? 'pglite' : 'postgres', clock: systemClock },
    { logger: false },
  );
  app.get('/bench/hello', { config: { audience: 'patient' } }, async () => ({ hello: 'world' }));
  app.get('/bench/rush-stats', { config: { audience: 'public' } }, async () => {
    const r = await sql<{ appointments: number; double_booked: number; over_limit: number }>`
      select
        (select count(*)::int from appointments where status <> 'cancelled') as appointments,
        (select count(*)::int from (select slot_id from appointments where status <> 'cancelled' group by slot_id having count(*) > 1) d) as double_booked,
        (select count(*)::int from (select patient_id from appointments where status = 'booked' group by patient_id having count(*) > 2) o) as over_limit
    `.execute(db);
    return r.rows[0];
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

if (cluster.isPrimary) {
  const t0 = performance.now();
  let url: string | null = null;
  let dropPg: (() => Promise<void>) | null = null;
  let handle: Awaited<ReturnType<typeof testDatabase>> | Awaited<ReturnType<typeof openDatabase>>;
  let dispose: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const pg = await postgresDatabase();
    url = pg.url;
    dropPg = pg.drop;
    handle = await openDatabase({ databaseUrl: url, pgliteDir: '', poolSize: 20 });
    const h = handle;
    dispose = async () => {
      await h.close();
      await dropPg?.();
    };
  } else {
    if (workers > 1) throw new Error('RUSH_WORKERS > 1 needs PostgreSQL (DATABASE_URL)');
    const h = await testDatabase();
    handle = h;
    dispose = () => h.dispose();
  }
  const data = await prepare(handle.db);
  const file = join(mkdtempSync(join(tmpdir(), 'gpo-rush-data-')), 'rush.json');
  writeFileSync(file, JSON.stringify(data));
  const setupMs = Math.round(performance.now() - t0);
  const ready = (port: number, pids: number[]) => {
    const r: RushReady = {
      port,
      dbKind: handle.kind,
      workers,
      practices,
      patients: patientCount,
      slots: practices * slotsPer,
      file,
      setupMs,
      pids,
    };
    process.stdout.write(JSON.stringify(r) + '\n');
  };
  let stop: () => Promise<void>;
  if (workers === 1) {
    const app = await serve(handle.db, handle.kind);
    ready((app.server.address() as { port: number }).port, [process.pid]);
    stop = () => app.close();
  } else {
    const ports: number[] = [];
    const forks = Array.from({ length: workers }, () => cluster.fork({ RUSH_DB_URL: url ?? '' }));
    await new Promise<void>((resolve) => {
      for (const w of forks)
        w.on('message', (m: { port: number }) => {
          ports.push(m.port);
          if (ports.length === workers) resolve();
        });
    });
    ready(ports[0] ?? 0, [process.pid, ...forks.map((w) => w.process.pid ?? 0)]);
    stop = async () => {
      await Promise.all(
        forks.map(
          (w) =>
            new Promise((res) => {
              w.once('exit', res);
              w.kill('SIGTERM');
            }),
        ),
      );
    };
  }
  let stopping = false;
  const end = () => {
    if (stopping) return;
    stopping = true;
    stop()
      .then(() => dispose())
      .then(() => {
        rmSync(file, { force: true });
        process.exit(0);
      })
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.once('SIGTERM', end);
  process.stdin.on('end', end);
  process.stdin.resume();
} else {
  const h = await openDatabase({ databaseUrl: process.env.RUSH_DB_URL ?? '', pgliteDir: '', poolSize: 20 });
  const app = await serve(h.db, 'postgres');
  process.send?.({ port: (app.server.address() as { port: number }).port });
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => h.close())
      .then(() => process.exit(0));
  });
}
