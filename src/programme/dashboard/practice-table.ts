// The table of practices under a CCG or PCN, pure: filtered by supplier, services offered,
// uptake and deprivation, and sorted, as a facilitator looks for the practices to help next.
import type { ChildTotals } from '../figures.ts';
import { SERVICES, type ServiceKey } from './rules.ts';

export const OFFERS = ['all-three', 'missing-any', ...SERVICES.map((s) => s.key)] as const;
export type Offers = 'all-three' | 'missing-any' | ServiceKey;
/** Bands of the share of the list enabled for at least one online service. */
export const UPTAKE = ['under-10', '10-to-25', '25-to-50', '50-and-over'] as const;
export type Uptake = (typeof UPTAKE)[number];
export const SORTS = ['name', 'uptake-low', 'uptake-high', 'list-size', 'deprived'] as const;
export type Sort = (typeof SORTS)[number];

export type PracticeFilter = {
  supplier?: string | undefined;
  offers?: Offers | undefined;
  uptake?: Uptake | undefined;
  /** Deprivation fifth, 1 the most deprived. */
  imd?: number | undefined;
  sort?: Sort | undefined;
};

const BANDS: Record<Uptake, [number, number]> = {
  'under-10': [0, 10],
  '10-to-25': [10, 25],
  '25-to-50': [25, 50],
  '50-and-over': [50, Infinity],
};

/** Patients enabled for any service as a percentage of the list; null when not reported. */
export function uptakeOf(p: ChildTotals): number | null {
  if (p.patientsEnabledAny === null || !p.enabledAnyListSize) return null;
  return (p.patientsEnabledAny / p.enabledAnyListSize) * 100;
}

function offers(p: ChildTotals, key: ServiceKey): boolean {
  return p.services[key].practicesOffering > 0;
}

function matches(p: ChildTotals, f: PracticeFilter): boolean {
  if (f.supplier && p.supplier !== f.supplier) return false;
  if (f.offers === 'all-three' && !SERVICES.every((s) => offers(p, s.key))) return false;
  if (f.offers === 'missing-any' && SERVICES.every((s) => offers(p, s.key))) return false;
  if (f.offers && f.offers !== 'all-three' && f.offers !== 'missing-any' && !offers(p, f.offers))
    return false;
  if (f.uptake) {
    const u = uptakeOf(p);
    const [lo, hi] = BANDS[f.uptake];
    if (u === null || u < lo || u >= hi) return false;
  }
  if (f.imd !== undefined && p.profile?.imd?.quintile !== f.imd) return false;
  return true;
}

/** Nulls (not reported) sort last whichever way; ties by name, then code. */
function byNumber(value: (p: ChildTotals) => number | null, descending: boolean) {
  return (a: ChildTotals, b: ChildTotals): number => {
    const [x, y] = [value(a), value(b)];
    if (x === y) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return descending ? y - x : x - y;
  };
}

function byName(a: ChildTotals, b: ChildTotals): number {
  return (a.name ?? a.code).localeCompare(b.name ?? b.code, 'en-GB') || a.code.localeCompare(b.code);
}

const ORDER: Record<Sort, (a: ChildTotals, b: ChildTotals) => number> = {
  name: byName,
  'uptake-low': byNumber(uptakeOf, false),
  'uptake-high': byNumber(uptakeOf, true),
  'list-size': byNumber((p) => p.listSize ?? p.profile?.listSize?.count ?? null, true),
  deprived: byNumber((p) => p.profile?.imd?.score ?? null, true),
};

export function practiceTable(practices: readonly ChildTotals[], f: PracticeFilter) {
  const suppliers = [...new Set(practices.map((p) => p.supplier).filter((s) => s !== null))].sort();
  const rows = practices.filter((p) => matches(p, f)).sort(ORDER[f.sort ?? 'name']);
  return { rows, suppliers, of: practices.length };
}

export type PcnRow = {
  /** null: the practices the map puts in no PCN (or that no map names). */
  code: string | null;
  name: string | null;
  practices: number;
  listSize: number | null;
  services: Record<ServiceKey, { offering: number; reporting: number }>;
  enabledAny: { patients: number; listSize: number } | null;
};

/**
 * A CCG's practices added up by the PCN each belongs to (a CCG's PCNs are a level one drills to
 * from it): offering over the practices that reported it, uptake over the lists that reported it.
 */
export function pcnTotals(practices: readonly ChildTotals[]): PcnRow[] {
  const rows = new Map<string | null, PcnRow>();
  for (const p of practices) {
    const code = p.profile?.pcn?.code ?? null;
    let row = rows.get(code);
    if (!row) {
      row = {
        code,
        name: p.profile?.pcn?.name ?? null,
        practices: 0,
        listSize: null,
        services: {
          appointments: { offering: 0, reporting: 0 },
          prescriptions: { offering: 0, reporting: 0 },
          detailedCodedRecord: { offering: 0, reporting: 0 },
        },
        enabledAny: null,
      };
      rows.set(code, row);
    }
    row.practices++;
    const list = p.listSize ?? p.profile?.listSize?.count ?? null;
    if (list !== null) row.listSize = (row.listSize ?? 0) + list;
    for (const s of SERVICES) {
      row.services[s.key].offering += p.services[s.key].practicesOffering;
      row.services[s.key].reporting += p.services[s.key].practicesReporting;
    }
    if (p.patientsEnabledAny !== null && p.enabledAnyListSize) {
      const e = row.enabledAny ?? { patients: 0, listSize: 0 };
      row.enabledAny = {
        patients: e.patients + p.patientsEnabledAny,
        listSize: e.listSize + p.enabledAnyListSize,
      };
    }
  }
  // Named PCNs by name, then the practices in none.
  return [...rows.values()].sort((a, b) =>
    a.code === null ? 1 : b.code === null ? -1 : (a.name ?? a.code).localeCompare(b.name ?? b.code, 'en-GB'),
  );
}
