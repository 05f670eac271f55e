// The share of an area's practices offering each online service, month by month, as an SVG line
// chart with the same palette and type as the record's charts.
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_PALETTE, chartSvg } from '../../platform/views/svg-chart.ts';
import { SERVICES, type ChartPoint } from './rules.ts';

export function offeringChartSpec(points: readonly ChartPoint[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    height: 300,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 8,
    background: 'white',
    data: { values: points.map((p) => ({ ...p, date: `${p.month}-15` })) },
    mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'date',
        type: 'temporal',
        title: 'Month',
        axis: { format: '%b %Y', labelAngle: 0, labelOverlap: true, tickCount: 6 },
      },
      y: {
        field: 'share',
        type: 'quantitative',
        title: 'Practices offering it (%)',
        scale: { domain: [0, 100] },
      },
      color: {
        field: 'service',
        type: 'nominal',
        title: null,
        scale: { domain: SERVICES.map((s) => s.name), range: CHART_PALETTE },
        legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0, symbolType: 'circle' },
      },
      detail: { field: 'run', type: 'nominal' },
      // Not by colour alone (WCAG 1.4.1): each service has its own dash and point shape.
      strokeDash: {
        field: 'service',
        type: 'nominal',
        title: null,
        scale: {
          domain: SERVICES.map((s) => s.name),
          range: [
            [1, 0],
            [8, 4],
            [2, 3],
          ],
        },
      },
      shape: {
        field: 'service',
        type: 'nominal',
        title: null,
        scale: { domain: SERVICES.map((s) => s.name), range: ['circle', 'square', 'triangle-up'] },
      },
    },
    // The figure carries one label and the table below gives every figure, so the per-point
    // labels (half the SVG's bytes) would only repeat the table to a screen reader.
    config: { ...CHART_CONFIG, aria: false },
  };
}

/** Cached by `key`, which must change whenever the figures do (the import version does). */
export function offeringChartSvg(key: string, points: readonly ChartPoint[]): Promise<string> {
  return chartSvg(`offering:${key}`, () => offeringChartSpec(points));
}
