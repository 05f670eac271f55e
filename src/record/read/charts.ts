// A test or value's history as an SVG line chart (vega-lite rendered on the server, no script in
// the page). Rendering costs tens of milliseconds of event-loop time, so charts are cached.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type ChartPoint = { date: string; value: number; series: string };

const cache = new Map<string, string>();
const CACHE_LIMIT = 500;

export async function historyChartSvg(
  key: string,
  points: readonly ChartPoint[],
  axisTitle: string,
): Promise<string> {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    height: 220,
    background: 'white',
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'date',
        type: 'temporal',
        title: 'Date',
        axis: { format: '%b %Y', labelFont: 'Arial', titleFont: 'Arial' },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: axisTitle,
        scale: { zero: false },
        axis: { labelFont: 'Arial', titleFont: 'Arial' },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        legend: { orient: 'bottom', labelFont: 'Arial' },
      },
    },
    config: { font: 'Arial' },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, svg);
  return svg;
}
