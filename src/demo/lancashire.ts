// The Lancashire 2012-13 scenario: offering histories from which the dashboard gives the NHS
// North of England report's Lancashire figures, July 2012 → April 2013: online repeat
// prescriptions 60 → 75 practices, booking 51 → 60, record access 2 → 18. The CCGs are the
// real 2013 Lancashire CCGs; the practices (but P81082, a demo practice) and their dates are
// made up: the report gives counts only, so the 200 practices and who changed when are invented.
import type { Ctx } from '../platform/context.ts';
import type { OfferedService } from '../platform/db/schema.ts';
import { recordOfferings } from '../programme/index.ts';

export const LANCASHIRE = { code: 'Q47', name: 'Lancashire (2012–13 demo scenario)' };
const REGION = { code: 'Y54', name: 'NORTH OF ENGLAND COMMISSIONING REGION' };

/** The 2013 CCGs of the Lancashire area team, with how many of the scenario's practices each holds. */
const CCGS = [
  ['00Q', 'NHS Blackburn with Darwen CCG', 26],
  ['00R', 'NHS Blackpool CCG', 21],
  ['00X', 'NHS Chorley and South Ribble CCG', 28],
  ['01A', 'NHS East Lancashire CCG', 50],
  ['01E', 'NHS Greater Preston CCG', 30],
  ['01K', 'NHS Lancashire North CCG', 17],
  ['02G', 'NHS West Lancashire CCG', 12],
  ['02M', 'NHS Fylde and Wyre CCG', 16],
] as const;

/** The report's counts: practices offering each service in July 2012 and in April 2013. */
export const REPORTED = [
  { service: 'prescriptions', from: 60, to: 75 },
  { service: 'appointments', from: 51, to: 60 },
  { service: 'detailed-coded-record', from: 2, to: 18 },
] as const satisfies readonly { service: OfferedService; from: number; to: number }[];

const BASELINE = '2012-07-01';
/** The months practices switched on in, August 2012 to April 2013. */
const MONTHS = [
  '2012-08',
  '2012-09',
  '2012-10',
  '2012-11',
  '2012-12',
  '2013-01',
  '2013-02',
  '2013-03',
  '2013-04',
];

export function lancashireScenario() {
  const practices: { code: string; ccg: string }[] = [];
  for (const [ccg, , count] of CCGS)
    for (let i = 0; i < count; i++) {
      const n = practices.length;
      practices.push({ code: ccg === '00X' && i === 0 ? 'P81082' : `LAN${String(n).padStart(3, '0')}`, ccg });
    }
  const areas = [
    { kind: 'region' as const, code: REGION.code, name: REGION.name, parent: null },
    { kind: 'subregion' as const, code: LANCASHIRE.code, name: LANCASHIRE.name, parent: REGION.code },
    ...CCGS.map(([code, name]) => ({ kind: 'ccg' as const, code, name, parent: LANCASHIRE.code })),
    ...practices.map((p) => ({
      kind: 'practice' as const,
      code: p.code,
      name:
        p.code === 'P81082' ? 'Walton-le-Dale demo practice' : `Lancashire demo practice ${p.code.slice(3)}`,
      parent: p.ccg,
    })),
  ];
  const detail = { scenario: 'lancashire-2012-13' };
  const changes = REPORTED.flatMap(({ service, from, to }, s) => {
    // Each service takes the practices in its own order (a stride coprime with 200), so the
    // early adopters of one are not those of another.
    const stride = [37, 53, 71][s] ?? 1;
    const order = practices.map((p, i) => practices[(i * stride + s) % practices.length] ?? p);
    return order.flatMap((p, rank) => {
      const baseline = {
        practiceOds: p.code,
        service,
        offered: rank < from,
        effectiveOn: BASELINE,
        note: 'Baseline survey by the Lancashire patient access facilitator',
        detail,
      };
      if (rank < from || rank >= to) return [baseline];
      const k = rank - from;
      const month = MONTHS[Math.floor((k * MONTHS.length) / (to - from))] ?? '2013-04';
      const day = String(1 + ((k * 7) % 27)).padStart(2, '0');
      return [baseline, { ...baseline, offered: true, effectiveOn: `${month}-${day}`, note: 'Switched on' }];
    });
  });
  return { areas, changes };
}

/** Records the scenario (again: it replaces its own entries and puts its areas back). */
export function loadLancashire(ctx: Ctx) {
  const { areas, changes } = lancashireScenario();
  return recordOfferings(ctx, { kind: 'system' }, { areas, changes, reason: 'demo: Lancashire 2012-13' });
}
