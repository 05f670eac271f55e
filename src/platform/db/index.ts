// One Kysely instance over either embedded PGlite (a folder on disk) or a PostgreSQL server.
// Both go through node-postgres, so values come back typed the same way.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
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
};

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection the server ends (restart, failover, admin) must not crash the process:
    // the pool drops it and opens a new one on the next query.
    pool.on('error', (err) => {
      options.onIdleError?.(err);
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
