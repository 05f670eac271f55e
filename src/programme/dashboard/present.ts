// The dashboard page's view model, pure: headings, the latest month, the report-style
// comparisons, the month table and the areas one level down.
import { countOf } from '../../platform/words.ts';
import type { AreaKind } from '../figures.ts';
import { comparedMonths, comparison, monthName, monthRows, percent, per1000, SERVICES } from './rules.ts';
import type { Dashboard } from './service.ts';

const KIND_LABEL: Record<AreaKind, string> = {
  england: 'England',
  region: 'region',
  subregion: 'sub-region',
  ccg: 'CCG',
  practice: 'practice',
};
const CHILD_NOUN: Record<AreaKind, string> = {
  england: 'region',
  region: 'sub-region',
  subregion: 'CCG',
  ccg: 'practice',
  practice: 'practice',
};
const CHILDREN: Record<AreaKind, string | null> = {
  england: 'Regions',
  region: 'Sub-regions',
  subregion: 'CCGs',
  ccg: 'Practices',
  practice: null,
};

/** "England", "NHS Airedale, Wharfedale and Craven CCG (02N)", or "CCG 02N" when no file named it. */
export function areaName(kind: AreaKind, code: string, name: string | null): string {
  if (kind === 'england') return 'England';
  return name ? `${name} (${code})` : `${KIND_LABEL[kind]} ${code}`;
}

export function dashboardPage(d: Dashboard, asked: { from?: string | undefined; to?: string | undefined }) {
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
    fromItems: monthItems(compared?.from.month),
    toItems: monthItems(compared?.to.month),
    rows: monthRows(d.totals).reverse(),
    childHeading: CHILDREN[d.area.kind],
    childCaption: last
      ? `${monthName(last.month)}: ${countOf(d.children.length, CHILD_NOUN[d.area.kind])}`
      : '',
    children: d.children.map((c) => ({
      code: c.code,
      name: c.name,
      href: d.area.kind === 'ccg' ? null : `/programme/dashboard?area=${encodeURIComponent(c.code)}`,
      practices: c.practices,
      listSize: c.listSize?.toLocaleString('en-GB') ?? 'not reported',
      shares: SERVICES.map((s) =>
        d.area.kind === 'ccg'
          ? c.services[s.key].practicesOffering > 0
            ? 'Yes'
            : 'No'
          : (percent(c.services[s.key].practicesOffering, c.services[s.key].practicesReporting) ??
            'not reported'),
      ),
      enabledAny: percent(c.patientsEnabledAny, c.enabledAnyListSize) ?? 'not reported',
    })),
    csvHref: `/programme/dashboard.csv${query}`,
    services: SERVICES,
  };
}
