// Starting and stopping the web server: one process, or N workers on one port (PostgreSQL only).
import cluster from 'node:cluster';
import { buildApp } from './app.ts';
import type { Config } from './platform/config.ts';
import { ConfigError } from './platform/config.ts';
import { demoPanel, isEmpty, loadDemo, DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from './demo/index.ts';
import { systemClock } from './platform/clock.ts';
import {
  isDatabaseUnavailable,
  openDatabase,
  pgliteDirFor,
  type DatabaseHandle,
} from './platform/db/index.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { purgeExpired } from './platform/auth/sessions.ts';
import { encryptLegacyTotpSecrets, totpKeyOpensStored } from './platform/auth/signin.ts';
import type { SecretKey } from './platform/auth/secrets.ts';
import type { Db } from './platform/db/index.ts';
import { claimDailyRun, claimDailyRunSince, releaseDailyRun } from './platform/db/jobs.ts';
import { deliverDue, queueReminders, logSender, notifySender } from './notifications/index.ts';
import { runTemplatesForward, forgetIdempotencyKeys } from './appointments/index.ts';
import { applyBirthdayAccess } from './record/index.ts';
import { checkPlatformOfferings } from './programme/index.ts';
import { englandDay } from './platform/dates.ts';

/** Runs a job every `ms`, skipping a tick while the last run is still going. */
function every(ms: number, run: () => Promise<void>): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    run()
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  }, ms);
  timer.unref();
  return timer;
}

/** A database outage is logged in one line, not with a stack trace every few seconds. */
function jobError(err: unknown): unknown {
  if (!isDatabaseUnavailable(err)) return err;
  return `database unavailable: ${err instanceof Error ? err.message || err.name : String(err)}`;
}

function onIdleError(err: Error): void {
  console.error(`database connection closed by the server (${err.message}); it will be reopened`);
}

/**
 * A wrong or lost key would fail every sign-in with a 500: stop the start instead, saying so.
 * Then secrets from before encryption at rest are sealed.
 */
async function prepareTotpSecrets(db: Db, key: SecretKey): Promise<void> {
  if (!(await totpKeyOpensStored(db, key)))
    throw new ConfigError(
      'TOTP_ENCRYPTION_KEY (or the key file in the data folder) does not open the TOTP secrets already stored: start with the key they were encrypted with.',
    );
  await encryptLegacyTotpSecrets(db, key);
}

export type ServeOptions = { workers: number; demo: boolean };

export async function openAndMigrate(config: Config, poolSize?: number): Promise<DatabaseHandle> {
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: pgliteDirFor(config.dataDir),
    poolSize,
    onIdleError,
  });
  try {
    await migrateToLatest(handle.db);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}

function printWelcome(config: Config, demo: boolean, loaded: boolean): void {
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${String(config.port)}`;
  const lines = [
    `GP Online is running at ${url}`,
    `Database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${pgliteDirFor(config.dataDir)}`}`,
  ];
  if (demo) {
    lines.push(
      loaded ? 'Demo data loaded.' : 'Demo mode.',
      `Demo sign-ins (password for all: ${DEMO_PASSWORD}); the security codes are on every page in demo mode:`,
    );
    for (const a of DEMO_PATIENTS) lines.push(`  patient  ${a.email.padEnd(44)} ${a.who}`);
    for (const s of DEMO_STAFF)
      lines.push(`  staff    ${s.email.padEnd(44)} ${s.role}${s.practiceOds ? ` at ${s.practiceOds}` : ''}`);
  }
  console.log(lines.join('\n'));
}

export async function serve(config: Config, options: ServeOptions): Promise<void> {
  if (options.workers > 1 && !config.databaseUrl) {
    throw new ConfigError(
      '--workers needs PostgreSQL (set DATABASE_URL): an embedded PGlite folder can be opened by one process only.',
    );
  }
  const demo = options.demo || config.demo;
  const cfg = { ...config, demo };
  if (cluster.isPrimary && options.workers > 1) {
    // The primary prepares the database once, then forks workers that share the port.
    const handle = await openAndMigrate(cfg, 2);
    const loaded = demo && (await isEmpty(handle.db));
    if (loaded) await loadDemo(handle.db, systemClock, cfg.totpKey);
    await prepareTotpSecrets(handle.db, cfg.totpKey);
    await handle.close();
    for (let i = 0; i < options.workers; i++) cluster.fork();
    let stopping = false;
    cluster.on('exit', (worker, code) => {
      if (!stopping)
        console.error(`worker ${String(worker.process.pid)} exited with ${String(code)}; starting another`);
      if (!stopping) cluster.fork();
    });
    const stop = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    printWelcome(cfg, demo, loaded);
    return;
  }
  const isWorker = !cluster.isPrimary;
  const handle = isWorker
    ? await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDir: pgliteDirFor(cfg.dataDir), onIdleError })
    : await openAndMigrate(cfg);
  let loaded = false;
  if (!isWorker && demo && (await isEmpty(handle.db))) {
    await loadDemo(handle.db, systemClock, cfg.totpKey);
    loaded = true;
  }
  // TOTP secrets from before they were encrypted at rest are sealed now (see signin.ts).
  if (!isWorker) await prepareTotpSecrets(handle.db, cfg.totpKey);
  const app = await buildApp(
    {
      config: cfg,
      db: handle.db,
      dbKind: handle.kind,
      clock: systemClock,
      demoPanel: demo ? demoPanel : undefined,
    },
    { logger: { level: cfg.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] } },
  );
  // Background jobs: each run catches its own errors (a database that is away makes a run fail
  // and log; the next run tries again), and a run never starts while the last is still going.
  const ctx = { db: handle.db, clock: systemClock, meta: null };
  const housekeeping = every(cfg.housekeepingIntervalMs, async () => {
    try {
      // Once a day, in whichever process claims it first: the 16th-birthday record access run.
      const today = englandDay(systemClock.now());
      const birthdays = await claimDailyRunSince(handle.db, 'record-16th-birthdays', today);
      if (birthdays) {
        const r = await applyBirthdayAccess(ctx, birthdays.previous);
        // Patients the run could not do are covered again by the next run.
        if (r.failed > 0)
          await releaseDailyRun(handle.db, 'record-16th-birthdays', today, birthdays.previous);
        app.log.info(r, '16th-birthday record access run');
      }
      // Weekly templates run forward so sessions stay set up four weeks ahead.
      if (await claimDailyRun(handle.db, 'appointment-templates', englandDay(systemClock.now()))) {
        const r = await runTemplatesForward(handle.db, systemClock.now());
        app.log.info(r, 'appointment templates run forward');
      }
      // Practices' offerings as their settings now say, for what changed outside the services.
      const day = englandDay(systemClock.now());
      if (await claimDailyRun(handle.db, 'programme-platform-offerings', day)) {
        try {
          app.log.info(await checkPlatformOfferings(ctx), 'platform offerings checked');
        } catch (err) {
          // The next run checks again (today's claim is given back).
          await releaseDailyRun(handle.db, 'programme-platform-offerings', day, null);
          throw err;
        }
      }
      // Idempotency keys answer retries for a day, then go.
      await forgetIdempotencyKeys(handle.db, new Date(systemClock.now().getTime() - 86_400_000));
    } catch (err) {
      app.log.error({ err: jobError(err) }, 'daily job failed');
    }
    try {
      await purgeExpired(handle.db, systemClock.now());
    } catch (err) {
      app.log.error({ err: jobError(err) }, 'housekeeping failed');
    }
  });
  // The notifications outbox: due messages sent, reminders queued. Booking never waits for this.
  const sender = cfg.notify ? notifySender(cfg.notify) : logSender(app.log, { showLinks: demo });
  const outbox = every(cfg.outboxIntervalMs, async () => {
    try {
      const now = systemClock.now();
      await queueReminders(handle.db, now);
      const r = await deliverDue(handle.db, sender, now);
      if (r.sent || r.failed || r.retrying)
        app.log.info({ ...r, sender: sender.name }, 'notifications delivered');
    } catch (err) {
      app.log.error({ err: jobError(err) }, 'notification delivery failed');
    }
  });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    clearInterval(housekeeping);
    clearInterval(outbox);
    // app.close() stops accepting connections and waits for requests in flight.
    app
      .close()
      .then(() => handle.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  process.once('SIGINT', () => {
    shutdown('SIGINT');
  });
  await app.listen({ port: cfg.port, host: cfg.host });
  if (!isWorker)
    printWelcome({ ...cfg, port: (app.server.address() as { port: number }).port }, demo, loaded);
}
