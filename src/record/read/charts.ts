// A test or value's history as an SVG line chart (vega-lite rendered on the server, no script in
// the page). The SVG scales to its container (width 100% with a viewBox), so it fits a phone;
// the normal range is a shaded band, the axes name their units and the legend is never cut.
// Rendering costs tens of milliseconds of event-loop time, so charts are cached.
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_PALETTE, chartSvg } from '../../platform/views/svg-chart.ts';

/** One value; low and high are its normal range as the result gave it, if it did. */
export type ChartPoint = {
  date: string;
  value: number;
  series: string;
  unit?: string | null;
  low?: number | null;
  high?: number | null;
};
export type ChartLabels = { title: string; unit: string | null };
/** The range band of one series, from its latest result with a range. */
export type RangeBand = { series: string; low: number | null; high: number | null; from: string; to: string };

/** The chart's own size: small enough to read on a 375 px phone, scaled up to its column. */
const WIDTH = 400;
const HEIGHT = 280;
const PALETTE = CHART_PALETTE;

export function yAxisTitle({ title, unit }: ChartLabels): string {
  return unit ? `${title} (${unit})` : title;
}

/** Each series' latest normal range, across the whole chart's dates; none when no result gave one. */
export function rangeBands(points: readonly ChartPoint[]): RangeBand[] {
  const dates = points.map((p) => p.date).sort();
  const from = dates[0] ?? '';
  const to = dates.at(-1) ?? '';
  const latest = new Map<string, RangeBand>();
  for (const p of [...points].sort((a, b) => a.date.localeCompare(b.date))) {
    const low = p.low ?? null;
    const high = p.high ?? null;
    if (low !== null || high !== null) latest.set(p.series, { series: p.series, low, high, from, to });
  }
  return [...latest.values()];
}

export function historyChartSpec(points: readonly ChartPoint[], labels: ChartLabels): TopLevelSpec {
  const series = [...new Set(points.map((p) => p.series))];
  const scale = { domain: series, range: PALETTE };
  const xTitle = 'Date of result';
  const yTitle = yAxisTitle(labels);
  const x = { field: 'from', type: 'temporal' as const, title: xTitle };
  const bands = rangeBands(points);
  const band = (which: RangeBand[], y: object, y2: object, name: string) => ({
    name,
    // The band takes its series' colour as a value (no scale), so it adds nothing to the legend.
    data: {
      values: which.map((b) => ({ ...b, colour: PALETTE[series.indexOf(b.series) % PALETTE.length] })),
    },
    mark: { type: 'rect' as const, opacity: 0.15, aria: false, clip: true },
    encoding: {
      x,
      x2: { field: 'to' },
      y,
      y2,
      fill: { field: 'colour', type: 'nominal' as const, scale: null },
    },
  });
  const num = (field: string) => ({ field, type: 'quantitative' as const, title: yTitle });
  const both = bands.filter((b) => b.low !== null && b.high !== null);
  const upTo = bands.filter((b) => b.low === null && b.high !== null);
  const from = bands.filter((b) => b.low !== null && b.high === null);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: HEIGHT,
    // Axes, titles and legend inside the size given, so the viewBox holds all of them.
    autosize: { type: 'fit', contains: 'padding' },
    padding: 8,
    background: 'white',
    layer: [
      ...(both.length ? [band(both, num('low'), { field: 'high' }, 'normal_range')] : []),
      ...(upTo.length ? [band(upTo, num('high'), { value: 'height' }, 'normal_range_up_to')] : []),
      ...(from.length ? [band(from, num('low'), { value: 0 }, 'normal_range_from')] : []),
      {
        name: 'results',
        data: { values: points.map((p) => ({ date: p.date, value: p.value, series: p.series })) },
        mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
        encoding: {
          x: {
            field: 'date',
            type: 'temporal',
            title: xTitle,
            axis: { format: '%b %Y', labelAngle: 0, labelOverlap: true, tickCount: 4 },
          },
          y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale,
            legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0, symbolType: 'circle' },
          },
        },
      },
    ],
    config: CHART_CONFIG,
  };
}

export async function historyChartSvg(
  key: string,
  points: readonly ChartPoint[],
  labels: ChartLabels,
): Promise<string> {
  return chartSvg(`history:${key}`, () => historyChartSpec(points, labels));
}
