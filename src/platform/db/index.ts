// One Kysely instance over either embedded PGlite (a folder on disk) or a PostgreSQL server.
// Both go through node-postgres, so values come back typed the same way.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataDir, type DataDirLock } from './lock.ts';
import type { Database } from './schema.ts';

// DATE columns stay 'YYYY-MM-DD' strings: a date of birth has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbKind = 'pglite' | 'postgres';

export type DatabaseHandle = {
  db: Db;
  kind: DbKind;
  close: () => Promise<void>;
};

export type OpenOptions = {
  databaseUrl: string | null;
  /** Folder holding the PGlite cluster (used when databaseUrl is null). */
  pgliteDir: string;
  /** Connections per process for PostgreSQL. */
  poolSize?: number;
  /** Skip the data-folder lock (only for throwaway test copies nobody else can open). */
  unlocked?: boolean;
  /** Told when the server ends an idle pooled connection (PostgreSQL only). */
  onIdleError?: (err: Error) => void;
  /** How long a query waits for a connection before failing (PostgreSQL only; default 5 s). */
  connectTimeoutMs?: number;
};

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '53300', // too_many_connections
]);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'the database system is',
];

/** True when an error means the database cannot be reached now (down, restarting, refusing). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const { code, message, errors, cause } = e as {
      code?: unknown;
      message?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return true;
    // Node reports a refused connection to several addresses as an AggregateError.
    if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x))) return true;
    e = cause;
  }
  return false;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // While the server is away a request waits at most this long for a connection, then gets
      // a 503, instead of hanging.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    });
    // An idle connection the server ends (restart, failover, admin) must not crash the process:
    // the pool drops it and opens a new one on the next query.
    pool.on('error', (err) => {
      options.onIdleError?.(err);
    });
    // A checked-out connection has no pool listener: one that dies between two queries of a
    // transaction would emit an unhandled 'error' and end the process. The query in flight
    // fails on its own; this listener only stops the crash.
    pool.on('connect', (client) => {
      client.on('error', (err) => {
        options.onIdleError?.(err);
      });
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  mkdirSync(options.pgliteDir, { recursive: true });
  let lock: DataDirLock | null = null;
  if (!options.unlocked) lock = await lockDataDir(options.pgliteDir);
  try {
    const pglite = new PGlite(options.pgliteDir);
    await pglite.waitReady;
    // PGlite is one session: the pool must hand out its single connection to one user at a time,
    // so a transaction is never interleaved with another request's queries.
    const pgConfig = createPgConfig(pglite);
    const pool = new pg.Pool({
      ...(pgConfig as unknown as pg.PoolConfig),
      connection: pgConfig.connection,
      max: 1,
    } as pg.PoolConfig);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await db.destroy();
        await pglite.close();
        await lock?.release();
      },
    };
  } catch (err) {
    await lock?.release();
    throw err;
  }
}

export function pgliteDirFor(dataDir: string): string {
  return join(dataDir, 'pglite');
}

/** True when the database answers a trivial query within `withinMs`. */
export async function databaseAnswers(db: Db, withinMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`the database did not answer within ${String(withinMs)} ms`));
        }, withinMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The SQLSTATE of a failed statement (23505 a unique violation, 23503 a missing reference). */
export function sqlState(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}
