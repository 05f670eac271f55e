// Session lookups kept for a second: a signed-in page costs one database query less (on PGlite
// the query is most of a cached page's time). A session row never changes but for its idle
// expiry (kept here too) and its deletion, so the cache is emptied whenever this process ends a
// session, and before and after every request that is not a GET or HEAD (sign-out, a reset,
// linking a record, disabling a user: all arrive so). What another process does shows within
// LOOKUP_MS.
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/index.ts';
import type { PrincipalRow } from './session-store.ts';

const LOOKUP_MS = 1000;

type Entry = { row: PrincipalRow; at: number };
const caches = new WeakMap<Db, LRUCache<string, Entry>>();
let generation = 0;
const made = new WeakMap<LRUCache<string, Entry>, number>();

function cacheOf(db: Db): LRUCache<string, Entry> {
  let c = caches.get(db);
  if (!c || made.get(c) !== generation) {
    c = new LRUCache<string, Entry>({ max: 10_000 });
    caches.set(db, c);
    made.set(c, generation);
  }
  return c;
}

/** The session row looked up less than LOOKUP_MS ago, if any (the same object: changes stick). */
export function cachedSession(db: Db, id: string): PrincipalRow | undefined {
  const e = cacheOf(db).get(id);
  if (!e) return undefined;
  if (Date.now() - e.at > LOOKUP_MS) return undefined;
  return e.row;
}

export function keepSession(db: Db, id: string, row: PrincipalRow): void {
  cacheOf(db).set(id, { row, at: Date.now() });
}

/** Every lookup of every database forgotten: the next request asks again. */
export function forgetSessionLookups(): void {
  generation++;
}
