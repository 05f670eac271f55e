// A @fastify/rate-limit store in the database, so limits hold across processes and hosts.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import type { RouteOptions } from 'fastify';

type Result = { current: number; ttl: number };
type Callback = (err: Error | null, result?: Result) => void;

export function databaseRateLimitStore(db: Db, clock: Clock) {
  return class DatabaseStore {
    readonly prefix: string;
    readonly timeWindow: number;

    constructor(options: { timeWindow?: number; routeInfo?: { method?: string; url?: string } } = {}) {
      this.timeWindow = options.timeWindow ?? 60_000;
      this.prefix = options.routeInfo
        ? `${options.routeInfo.method ?? ''} ${options.routeInfo.url ?? ''}:`
        : 'global:';
    }

    incr(key: string, cb: Callback, timeWindow?: number): void {
      this.count(key, timeWindow ?? this.timeWindow, true).then(
        (r) => {
          cb(null, r);
        },
        (e: unknown) => {
          cb(e as Error);
        },
      );
    }

    read(key: string, cb: Callback, timeWindow?: number): void {
      this.count(key, timeWindow ?? this.timeWindow, false).then(
        (r) => {
          cb(null, r);
        },
        (e: unknown) => {
          cb(e as Error);
        },
      );
    }

    child(routeOptions: RouteOptions & { path: string; prefix: string }): DatabaseStore {
      const r = routeOptions as unknown as {
        timeWindow?: number;
        routeInfo?: { method?: string; url?: string };
      };
      return new DatabaseStore({
        timeWindow: r.timeWindow,
        routeInfo: r.routeInfo ?? { method: String(routeOptions.method), url: routeOptions.url },
      });
    }

    async count(key: string, window: number, increment: boolean): Promise<Result> {
      const now = clock.now();
      const reset = new Date(now.getTime() + window);
      const k = this.prefix + key;
      if (!increment) {
        const row = await db
          .selectFrom('rate_limits')
          .select(['hits', 'reset_at'])
          .where('key', '=', k)
          .executeTakeFirst();
        if (!row || row.reset_at <= now) return { current: 0, ttl: window };
        return { current: row.hits, ttl: row.reset_at.getTime() - now.getTime() };
      }
      const row = await sql<{ hits: number; reset_at: Date }>`
        insert into rate_limits (key, hits, reset_at) values (${k}, 1, ${reset})
        on conflict (key) do update set
          hits = case when rate_limits.reset_at <= ${now} then 1 else rate_limits.hits + 1 end,
          reset_at = case when rate_limits.reset_at <= ${now} then excluded.reset_at else rate_limits.reset_at end
        returning hits, reset_at`.execute(db);
      const r = row.rows[0];
      if (!r) throw new Error('rate limit upsert returned no row');
      return { current: r.hits, ttl: Math.max(0, new Date(r.reset_at).getTime() - now.getTime()) };
    }
  };
}
