// A test's or measurement's history for the patient: a chart with its data table, through the
// same access rule as every other view of the record.
import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { englandDayOf } from '../../platform/dates.ts';
import type { Measurement } from '../model.ts';
import { kindsFor, type VisibleEntry } from '../access/rules.ts';
import { ownRecordAccess } from '../access/service.ts';
import { historyChartSvg, rangeBands, type ChartPoint } from './charts.ts';
import { isAbnormal, outOfRange, rangeText } from './present.ts';
import { auditView, visiblePage } from './service.ts';

export type HistoryRow = {
  date: string;
  values: {
    name: string;
    value: string;
    unit: string | null;
    range: string | null;
    flag: 'high' | 'low' | null;
    abnormal: boolean;
  }[];
};
export type History = {
  code: string;
  title: string;
  unit: string | null;
  rows: HistoryRow[];
  svg: string | null;
  /** What the chart's shaded band shows, in words; null when no result gave a range. */
  rangeCaption: string | null;
};

const MAX_POINTS = 500;

function valueText(m: Measurement): string {
  return m.value !== null ? String(m.value) : (m.valueText ?? '');
}

/** "The shaded area is the normal range, 20 to 48 mmol/mol." (one sentence for all the bands). */
export function rangeCaption(points: readonly ChartPoint[]): string | null {
  const unitOf = new Map(points.map((p) => [p.series, p.unit ?? null]));
  const bands = rangeBands(points).map((b) => ({
    series: b.series,
    range: rangeText({ ...b, unit: unitOf.get(b.series) ?? null }) ?? '',
  }));
  const only = bands[0];
  if (!only) return null;
  if (bands.length === 1) return `The shaded area is the normal range, ${only.range}.`;
  return `The shaded areas are the normal ranges: ${bands.map((b) => `${b.series}, ${b.range}`).join('; ')}.`;
}

export async function ownHistory(ctx: Ctx, actor: Actor | null, code: string): Promise<History> {
  if (!/^[A-Za-z0-9.-]{1,40}$/.test(code))
    throw new AppError('not-found', 'There is no such test or measurement in your record.');
  const own = await ownRecordAccess(ctx, actor);
  const { me, access } = own;
  const kinds = (['result', 'value'] as const).filter(
    (k) => !access.withheld && kindsFor(access.level).includes(k),
  );
  const { entries } = kinds.length
    ? await visiblePage(ctx.db, me, access, { kinds, page: 0, size: MAX_POINTS, code })
    : { entries: [] as VisibleEntry[] };
  const withCode = entries.filter((e) => e.coding.some((c) => c.code === code));
  if (withCode.length === 0)
    throw new AppError('not-found', 'There is no such test or measurement in your record.');
  const oldestFirst = [...withCode].sort((a, b) =>
    (a.clinicalDate ?? a.recordedAt).localeCompare(b.clinicalDate ?? b.recordedAt),
  );
  const points: ChartPoint[] = [];
  const rows: HistoryRow[] = [];
  let unit: string | null = null;
  for (const e of oldestFirst) {
    if (e.details.kind !== 'result' && e.details.kind !== 'value') continue;
    const date = englandDayOf(e.clinicalDate ?? e.recordedAt);
    const measures: (Measurement & { name: string })[] = e.details.measurement
      ? [{ ...e.details.measurement, name: e.title }]
      : [];
    measures.push(...e.details.components);
    const row: HistoryRow = { date, values: [] };
    for (const m of measures) {
      unit ??= m.unit;
      if (m.value !== null)
        points.push({ date, value: m.value, series: m.name, unit: m.unit, low: m.low, high: m.high });
      row.values.push({
        name: m.name,
        value: valueText(m),
        unit: m.unit,
        range: rangeText(m),
        flag: outOfRange(m),
        abnormal: isAbnormal(m),
      });
    }
    rows.push(row);
  }
  const title = oldestFirst.at(-1)?.title ?? code;
  // The cache key is the chart's own data, so an edited or different entry never reuses a chart.
  const key = createHash('sha256')
    .update(JSON.stringify([unit, title, points]))
    .digest('hex');
  const chart = points.length >= 2;
  const svg = chart ? await historyChartSvg(key, points, { title, unit }) : null;
  await auditView(ctx, own, `record:history:${code}`);
  return { code, title, unit, rows: rows.reverse(), svg, rangeCaption: chart ? rangeCaption(points) : null };
}
