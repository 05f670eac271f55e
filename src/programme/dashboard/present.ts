// The dashboard page's view model, pure: headings, the latest month, the report-style
// comparisons, the month table and the areas one level down.
import { countOf } from '../../platform/words.ts';
import type { AreaKind, ChildTotals, PracticeProfile } from '../figures.ts';
import {
  OFFERS,
  pcnTotals,
  practiceTable,
  SORTS,
  UPTAKE,
  uptakeOf,
  type PracticeFilter,
} from './practice-table.ts';
import { comparedMonths, comparison, monthName, monthRows, percent, per1000, SERVICES } from './rules.ts';
import type { Dashboard } from './service.ts';

const KIND_LABEL: Record<AreaKind, string> = {
  england: 'England',
  region: 'region',
  subregion: 'sub-region',
  ccg: 'CCG',
  pcn: 'PCN',
  practice: 'practice',
};
const CHILD_NOUN: Record<AreaKind, string> = {
  england: 'region',
  region: 'sub-region',
  subregion: 'CCG',
  ccg: 'practice',
  pcn: 'practice',
  practice: 'practice',
};
const CHILDREN: Record<AreaKind, string | null> = {
  england: 'Regions',
  region: 'Sub-regions',
  subregion: 'CCGs',
  ccg: 'Practices',
  pcn: 'Practices',
  practice: null,
};

/** "England", "NHS Airedale, Wharfedale and Craven CCG (02N)", or "CCG 02N" when no file named it. */
export function areaName(kind: AreaKind, code: string, name: string | null): string {
  if (kind === 'england') return 'England';
  return name ? `${name} (${code})` : `${KIND_LABEL[kind]} ${code}`;
}

const OFFERS_TEXT: Record<(typeof OFFERS)[number], string> = {
  'all-three': 'Offers all three services',
  'missing-any': 'Does not offer all three',
  appointments: 'Offers online appointment booking',
  prescriptions: 'Offers online repeat prescriptions',
  detailedCodedRecord: 'Offers online record access',
};
const UPTAKE_TEXT: Record<(typeof UPTAKE)[number], string> = {
  'under-10': 'Under 10% of patients enabled',
  '10-to-25': '10% to under 25%',
  '25-to-50': '25% to under 50%',
  '50-and-over': '50% and over',
};
const SORT_TEXT: Record<(typeof SORTS)[number], string> = {
  name: 'Name',
  'uptake-low': 'Lowest uptake first',
  'uptake-high': 'Highest uptake first',
  'list-size': 'Largest list first',
  deprived: 'Most deprived first',
};

function items<K extends string>(
  keys: readonly K[],
  text: Record<K, string>,
  chosen: string | undefined,
  all?: string,
) {
  return [
    ...(all ? [{ value: '', text: all, selected: !chosen }] : []),
    ...keys.map((k) => ({ value: k, text: text[k], selected: k === chosen })),
  ];
}

function profileView(p: PracticeProfile | null) {
  return {
    pcn: p?.pcn ? { code: p.pcn.code, name: p.pcn.name, href: dashboardHref(p.pcn.code) } : null,
    imd: p?.imd
      ? {
          quintile: p.imd.quintile === null ? null : String(p.imd.quintile),
          score: p.imd.score.toFixed(1),
          year: p.imd.year,
        }
      : null,
    registered: p?.listSize
      ? { count: p.listSize.count.toLocaleString('en-GB'), on: p.listSize.on ? dayName(p.listSize.on) : null }
      : null,
  };
}

function dashboardHref(code: string): string {
  return `/programme/dashboard?area=${encodeURIComponent(code)}`;
}

/** `2021-01-01` → `1 January 2021`. */
function dayName(day: string): string {
  return `${String(Number(day.slice(8, 10)))} ${monthName(day.slice(0, 7))}`;
}

/** A CCG's PCNs, each a link (practices in no PCN are one row, with none). */
function pcnView(children: readonly ChildTotals[]) {
  // Only when the map has put at least one practice in a PCN.
  const rows = pcnTotals(children);
  if (!rows.some((r) => r.code)) return [];
  return rows.map((r) => ({
    code: r.code,
    name: r.code ? (r.name ?? r.code) : 'In no PCN, or not known',
    href: r.code ? dashboardHref(r.code) : null,
    practices: r.practices,
    listSize: r.listSize?.toLocaleString('en-GB') ?? 'not reported',
    shares: SERVICES.map(
      (s) => percent(r.services[s.key].offering, r.services[s.key].reporting) ?? 'not reported',
    ),
    enabledAny: r.enabledAny
      ? (percent(r.enabledAny.patients, r.enabledAny.listSize) ?? 'not reported')
      : 'not reported',
  }));
}

/** The practices under a CCG or PCN: filters, then one row each. */
function practiceView(d: Dashboard, f: PracticeFilter) {
  const t = practiceTable(d.children, f);
  const row = (c: ChildTotals) => {
    const u = uptakeOf(c);
    return {
      code: c.code,
      name: c.name,
      href: dashboardHref(c.code),
      supplier: c.supplier ?? 'not reported',
      listSize: (c.listSize ?? c.profile?.listSize?.count)?.toLocaleString('en-GB') ?? 'not reported',
      offered: SERVICES.map((s) => (c.services[s.key].practicesOffering > 0 ? 'Yes' : 'No')),
      uptake: u === null ? 'not reported' : `${(Math.round(u * 10) / 10).toFixed(1)}%`,
      ...profileView(c.profile),
    };
  };
  return {
    rows: t.rows.map(row),
    shown:
      t.rows.length === t.of
        ? `All ${countOf(t.of, 'practice')}`
        : `${String(t.rows.length)} of ${countOf(t.of, 'practice')}`,
    filtered: t.rows.length !== t.of,
    supplierItems: [
      { value: '', text: 'Any supplier', selected: !f.supplier },
      ...t.suppliers.map((s) => ({ value: s, text: s, selected: s === f.supplier })),
    ],
    offersItems: items(OFFERS, OFFERS_TEXT, f.offers, 'Any services'),
    uptakeItems: items(UPTAKE, UPTAKE_TEXT, f.uptake, 'Any uptake'),
    imdItems: [
      { value: '', text: 'Any deprivation', selected: f.imd === undefined },
      ...[1, 2, 3, 4, 5].map((q) => ({
        value: String(q),
        text:
          q === 1 ? 'Fifth 1 (most deprived)' : q === 5 ? 'Fifth 5 (least deprived)' : `Fifth ${String(q)}`,
        selected: q === f.imd,
      })),
    ],
    sortItems: items(SORTS, SORT_TEXT, f.sort ?? 'name'),
  };
}

export function dashboardPage(
  d: Dashboard,
  asked: { from?: string | undefined; to?: string | undefined } & PracticeFilter,
) {
  const name = areaName(d.area.kind, d.area.code, d.area.name);
  const compared = comparedMonths(d.totals, asked);
  const last = d.totals.at(-1);
  const query = d.area.kind === 'england' ? '' : `?area=${encodeURIComponent(d.area.code)}`;
  const monthItems = (chosen: string | undefined) =>
    d.totals.map((t) => ({ value: t.month, text: monthName(t.month), selected: t.month === chosen }));
  return {
    title: `Online services in ${name}`,
    area: d.area,
    areaName: name,
    parent: d.area.parent
      ? {
          href: dashboardHref(d.area.parent.code),
          text: areaName(d.area.parent.kind, d.area.parent.code, d.area.parent.name),
        }
      : null,
    profile: d.area.kind === 'practice' ? profileView(d.area.profile) : null,
    practices:
      CHILD_NOUN[d.area.kind] === 'practice' && d.area.kind !== 'practice' ? practiceView(d, asked) : null,
    pcns: d.area.kind === 'ccg' ? pcnView(d.children) : [],
    empty: !last,
    sources: {
      pomi: d.totals.some((t) => t.basis === 'pomi'),
      history: d.totals.some((t) => t.basis === 'history'),
    },
    latest: last
      ? {
          label: monthName(last.month),
          fromHistory: last.basis === 'history',
          practices: countOf(last.practices, 'practice'),
          listSize: last.listSize?.toLocaleString('en-GB') ?? 'not reported',
          enabledAny: percent(last.patientsEnabledAny, last.enabledAnyListSize),
          services: SERVICES.map((s) => ({
            name: s.name,
            offering: last.services[s.key].practicesOffering.toLocaleString('en-GB'),
            share: percent(last.services[s.key].practicesOffering, last.services[s.key].practicesReporting),
            enabledShare: percent(last.services[s.key].patientsEnabled, last.services[s.key].enabledListSize),
            per1000: per1000(last.services[s.key].transactions, last.services[s.key].transactionsListSize),
          })),
        }
      : null,
    comparisons: compared
      ? SERVICES.map((s) => ({ name: s.name, text: comparison(compared.from, compared.to, s.key) }))
      : [],
    compared: compared ? { from: compared.from.month, to: compared.to.month } : null,
    fromItems: monthItems(compared?.from.month),
    toItems: monthItems(compared?.to.month),
    rows: monthRows(d.totals).reverse(),
    childHeading: CHILDREN[d.area.kind],
    childCaption: d.childrenMonth
      ? `${monthName(d.childrenMonth)}: ${countOf(d.children.length, CHILD_NOUN[d.area.kind])}`
      : '',
    children: d.children.map((c) => ({
      code: c.code,
      name: c.name,
      href: dashboardHref(c.code),
      practices: c.practices,
      listSize: c.listSize?.toLocaleString('en-GB') ?? 'not reported',
      shares: SERVICES.map(
        (s) =>
          percent(c.services[s.key].practicesOffering, c.services[s.key].practicesReporting) ??
          'not reported',
      ),
      enabledAny: percent(c.patientsEnabledAny, c.enabledAnyListSize) ?? 'not reported',
    })),
    csvHref: `/programme/dashboard.csv${query}`,
    services: SERVICES,
  };
}
