// Daily jobs that any process may run: the database decides which one does, once a day.
import { sql } from 'kysely';
import type { Db } from './db/index.ts';

/** Claims today's run of a job; true for exactly one caller per day, however many processes ask. */
export async function claimDailyRun(db: Db, name: string, today: string): Promise<boolean> {
  const r = await sql<{ name: string }>`
    insert into daily_jobs (name, last_run_on) values (${name}, ${today}::date)
    on conflict (name) do update set last_run_on = excluded.last_run_on
      where daily_jobs.last_run_on < excluded.last_run_on
    returning name`.execute(db);
  return r.rows.length === 1;
}
