// Daily jobs that any process may run: the database decides which one does, once a day.
import { sql } from 'kysely';
import type { Db } from './index.ts';

/** Claims today's run of a job; true for exactly one caller per day, however many processes ask. */
export async function claimDailyRun(db: Db, name: string, today: string): Promise<boolean> {
  const r = await sql<{ name: string }>`
    insert into daily_jobs (name, last_run_on) values (${name}, ${today}::date)
    on conflict (name) do update set last_run_on = excluded.last_run_on
      where daily_jobs.last_run_on < excluded.last_run_on
    returning name`.execute(db);
  return r.rows.length === 1;
}

/**
 * Claims today's run of a job that must catch up on missed days: null when another caller has
 * it, otherwise the day of the previous run (null the first time), so the job covers every day since.
 */
export async function claimDailyRunSince(
  db: Db,
  name: string,
  today: string,
): Promise<{ previous: string | null } | null> {
  const r = await sql<{ previous: string | null }>`
    with before as (select last_run_on from daily_jobs where name = ${name})
    insert into daily_jobs (name, last_run_on) values (${name}, ${today}::date)
    on conflict (name) do update set last_run_on = excluded.last_run_on
      where daily_jobs.last_run_on < excluded.last_run_on
    returning (select to_char(last_run_on, 'YYYY-MM-DD') from before) as previous`.execute(db);
  const row = r.rows[0];
  return row ? { previous: row.previous } : null;
}

/**
 * Gives a claimed day back after a run that did not finish its work, so the next run covers
 * the same days again (only if no later run has claimed the job meanwhile).
 */
export async function releaseDailyRun(
  db: Db,
  name: string,
  claimed: string,
  previous: string | null,
): Promise<void> {
  if (previous === null) {
    await sql`delete from daily_jobs where name = ${name} and last_run_on = ${claimed}::date`.execute(db);
    return;
  }
  await sql`update daily_jobs set last_run_on = ${previous}::date
    where name = ${name} and last_run_on = ${claimed}::date`.execute(db);
}
