// Views of a patient's record (a rendered section page, an API answer), kept in each process and
// keyed by everything that decides what they show: the record's version, which the database raises
// on any change to the patient's entries (migration 004), the access the patient has (level, dates,
// historic access, withhold) and which view. Any change gives a new key, so a view is never served
// after what it shows has changed; keys no longer asked for age out of the LRU.
import { LRUCache } from 'lru-cache';
import type { RecordAccess } from '../model.ts';

const MAX_BYTES = 64 * 1024 * 1024;

/** One cache per database handle: two apps in one process (tests) never share views. */
const caches = new WeakMap<object, LRUCache<string, { value: unknown }>>();

function cacheFor(owner: object): LRUCache<string, { value: unknown }> {
  let c = caches.get(owner);
  if (!c) {
    c = new LRUCache({ maxSize: MAX_BYTES, sizeCalculation: () => 1 });
    caches.set(owner, c);
  }
  return c;
}

export type ViewOf = {
  practiceOds: string;
  patientId: string;
  /** null until the record has any entry: such views are not kept. */
  version: string | null;
  access: RecordAccess;
  view: string;
};

function keyOf(k: ViewOf): string | null {
  if (k.version === null) return null;
  const a = k.access;
  return [
    k.practiceOds,
    k.patientId,
    k.version,
    a.level,
    a.prospectiveFrom ?? '-',
    a.detailedFrom ?? '-',
    a.fullFrom ?? '-',
    a.historicAccess,
    a.historicLevel ?? '-',
    a.reviewedAt ?? '-',
    a.withheld,
    k.view,
  ].join('|');
}

/** How a view is made from the record's data, and its rough size in bytes for the LRU. */
export type Presenter<A, B> = {
  name: string;
  present: (data: A) => B | Promise<B>;
  bytes: (view: B) => number;
};

/** The view kept for this key, or the one `load` and `present` make now (then kept). */
export async function cachedView<A, B>(
  owner: object,
  of: ViewOf,
  presenter: Presenter<A, B>,
  load: () => Promise<A>,
): Promise<B> {
  const key = keyOf({ ...of, view: `${presenter.name}:${of.view}` });
  const cache = cacheFor(owner);
  if (key !== null) {
    const hit = cache.get(key);
    if (hit) return hit.value as B;
  }
  const value = await presenter.present(await load());
  if (key !== null) cache.set(key, { value }, { size: Math.max(1, presenter.bytes(value)) });
  return value;
}

/** The identity presenter: data as loaded (tests and callers that shape it themselves). */
export function asData<A>(name = 'data'): Presenter<A, A> {
  return { name, present: (a) => a, bytes: () => 4096 };
}
