// An area's figures: its monthly totals from imported POMI, and from offering histories for the
// months POMI does not give, with the latest month's totals one level down. They change only when
// an import or a history entry lands, so they are cached by a version of both (asked at most every
// 2 s); a miss resolves the area and adds up its returns and histories.
import { LRUCache } from 'lru-cache';
import type { Ctx } from '../platform/context.ts';
import type { Db } from '../platform/db/index.ts';
import { englandDay } from '../platform/dates.ts';
import { AppError } from '../platform/http/errors.ts';
import { childHistoryTotals, historyMonths, historyTotals, manualRuns } from './history/rules.ts';
import { imdQuintile } from './geography/rules.ts';
import * as geography from './geography/store.ts';
import * as history from './history/store.ts';
import * as pomi from './pomi/store.ts';
import { areaTotals, monthEnd, type AreaTotals } from './summary-rules.ts';

/** England's ONS code: the area when none is named. */
export const ENGLAND = 'E92000001';

export type AreaKind = 'england' | 'region' | 'subregion' | 'ccg' | 'pcn' | 'practice';
/** A practice's PCN, list size and deprivation, where the geography files give them. */
export type PracticeProfile = {
  pcn: { code: string; name: string | null } | null;
  listSize: { count: number; on: string | null } | null;
  imd: { score: number; year: number | null; quintile: number | null } | null;
};
export type ChildTotals = AreaTotals & {
  code: string;
  name: string | null;
  /** A practice's clinical system supplier in the month (from its POMI return). */
  supplier: string | null;
  /** Practices only. */
  profile: PracticeProfile | null;
};
export type AreaFigures = {
  /** The name is as the imported files give it (POMI's long format or practice lookup), if they do. */
  area: {
    code: string;
    kind: AreaKind;
    name: string | null;
    /** A PCN's CCG, as the practice map gives it. */
    parent: { code: string; kind: AreaKind; name: string } | null;
    /** A practice's own profile. */
    profile: PracticeProfile | null;
  };
  /** Changes with every import: part of every cache key made from these figures. */
  version: string;
  totals: AreaTotals[];
  /** The month of `children`: POMI's latest if there is one, else the latest month. */
  childrenMonth: string | null;
  /** That month's figures for each area one level down (practices under a CCG). */
  children: ChildTotals[];
};

const KIND: Record<NonNullable<pomi.AreaMatch>['column'], AreaKind> = {
  region_code: 'region',
  subregion_code: 'subregion',
  ccg_code: 'ccg',
  pcn_code: 'pcn',
  practice_ods: 'practice',
};

const CHILD_KIND = {
  england: 'region',
  region: 'subregion',
  subregion: 'ccg',
  ccg: 'practice',
  pcn: 'practice',
  practice: null,
} as const;

/**
 * The promise is cached, not its value, so requests arriving together while the figures are
 * added up wait for the one query instead of each running it. Unknown codes are remembered too
 * (as null), so a mistyped link costs one lookup an import.
 */
type Cached = {
  figures: LRUCache<string, Promise<AreaFigures | null>>;
  known: { at: number; epoch: number; version: Promise<string> } | null;
};
/** Raised by a change written inside another feature's transaction, which has no `Db` to name. */
let epoch = 0;
/**
 * Until then every request asks the database: the transaction that raised the epoch commits
 * after it, and a version read before the commit must not be kept for VERSION_MS.
 */
let askUntil = 0;
const COMMIT_MS = 1000;
/** One cache a database (tests open several in one process). */
const caches = new WeakMap<Db, Cached>();

function cacheOf(db: Db): Cached {
  let c = caches.get(db);
  if (!c) {
    c = { figures: new LRUCache({ max: 1000 }), known: null };
    caches.set(db, c);
  }
  return c;
}

/**
 * The import version, asked of the database at most every VERSION_MS: an import by another
 * process (the CLI, another worker) shows within that; one in this process at once.
 */
const VERSION_MS = 2000;

function importVersion(db: Db): Promise<string> {
  const c = cacheOf(db);
  const now = Date.now();
  if (!c.known || c.known.epoch !== epoch || now < askUntil || now - c.known.at > VERSION_MS) {
    const version = Promise.all([
      pomi.importVersion(db),
      history.historyVersion(db),
      geography.geographyVersion(db),
    ]).then((v) => v.join('|'));
    c.known = { at: now, epoch, version };
    version.catch(() => (c.known = null));
  }
  return c.known.version;
}

/** After an import or a history entry in this process: the next request asks the database again. */
export function forgetImportVersion(db: Db): void {
  cacheOf(db).known = null;
}

/** As `forgetImportVersion`, for every database (the change was written in a transaction). */
export function forgetAllImportVersions(): void {
  epoch++;
  askUntil = Date.now() + COMMIT_MS;
}

export async function areaFigures(ctx: Ctx, raw: string | undefined): Promise<AreaFigures> {
  const code = raw?.trim().toUpperCase() || ENGLAND;
  const version = await importVersion(ctx.db);
  // Practices on GP Online are known up to this month: a new month is a new page.
  const current = englandDay(ctx.clock.now()).slice(0, 7);
  const key = `${version}|${current}|${code}`;
  const cache = cacheOf(ctx.db).figures;
  let pending = cache.get(key);
  if (!pending) {
    pending = load(ctx, code, version, current);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  const figures = await pending;
  if (!figures)
    throw new AppError('not-found', `No imported figures name the area ${code}.`, { reason: 'unknown-area' });
  return figures;
}

/** The area a code names: in POMI's returns, as a PCN of the map, or in the names table. */
async function findArea(db: Db, code: string): Promise<pomi.AreaMatch | undefined> {
  if (code === ENGLAND) return null;
  const inPomi = await pomi.areaOf(db, code);
  if (inPomi) return inPomi;
  if (await geography.isPcn(db, code)) return { column: 'pcn_code', code };
  return history.namedArea(db, code);
}

function profileOf(p: geography.ProfileView | undefined, cuts: readonly number[]): PracticeProfile | null {
  if (!p) return null;
  const score = p.imd_score === null ? null : Number(p.imd_score);
  return {
    pcn: p.pcn_code ? { code: p.pcn_code, name: p.pcn_name } : null,
    listSize: p.list_size === null ? null : { count: p.list_size, on: p.list_size_on },
    imd: score === null ? null : { score, year: p.imd_year, quintile: imdQuintile(score, cuts) },
  };
}

async function load(ctx: Ctx, code: string, version: string, current: string): Promise<AreaFigures | null> {
  const area = await findArea(ctx.db, code);
  if (area === undefined) return null;
  const kind = area ? KIND[area.column] : 'england';
  const fromPomi = (await pomi.monthlyTotals(ctx.db, area, null)).map(areaTotals);
  const entries = await history.areaEntries(ctx.db, area);
  const runs = manualRuns(entries);
  const fromHistory = historyMonths(entries, new Set(fromPomi.map((t) => t.month)), current)
    .map((m) => historyTotals(entries, m, runs))
    .filter((t) => t.practices > 0);
  const totals = [...fromPomi, ...fromHistory].sort((a, b) => (a.month < b.month ? -1 : 1));
  // The areas one level down, from the fullest picture: POMI's latest month covers every
  // practice, a later month from histories only those recorded (or on GP Online).
  const last = fromPomi.at(-1) ?? totals.at(-1);
  let rows: (AreaTotals & { code: string; supplier: string | null })[] = [];
  if (last?.basis === 'pomi')
    rows = (await pomi.childTotals(ctx.db, area, monthEnd(last.month) ?? '')).map((r) => ({
      ...areaTotals(r),
      code: r.code,
      supplier: r.supplier,
    }));
  else if (last)
    rows = childHistoryTotals(entries, last.month).map((c) => ({
      ...c.totals,
      code: c.code,
      supplier: null,
    }));
  const childKind = CHILD_KIND[kind];
  const names = childKind
    ? await pomi.areaNames(
        ctx.db,
        childKind,
        rows.map((r) => r.code),
      )
    : new Map<string, string>();
  const own = kind === 'england' ? new Map<string, string>() : await pomi.areaNames(ctx.db, kind, [code]);
  const practices = childKind === 'practice' ? rows.map((r) => r.code) : kind === 'practice' ? [code] : [];
  const [found, cuts] = practices.length
    ? await Promise.all([geography.profiles(ctx.db, practices), geography.imdCuts(ctx.db)])
    : [new Map<string, geography.ProfileView>(), []];
  const children = rows.map((r) => ({
    ...r,
    name: names.get(r.code) ?? null,
    profile: childKind === 'practice' ? profileOf(found.get(r.code), cuts) : null,
  }));
  // A PCN's CCG is the map's. Other levels are POMI's, whose month may differ from the map's.
  const parent = kind === 'pcn' ? await geography.parentOf(ctx.db, 'pcn', code) : undefined;
  return {
    area: {
      code,
      kind,
      name: own.get(code) ?? null,
      parent: parent ? { code: parent.code, kind: parent.kind, name: parent.name } : null,
      profile: kind === 'practice' ? profileOf(found.get(code), cuts) : null,
    },
    version: `${version}|${current}`,
    totals,
    childrenMonth: last?.month ?? null,
    children,
  };
}
