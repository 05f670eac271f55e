// A vega-lite chart rendered on the server as SVG (no script in the page), scaled to its
// container. Rendering costs tens of milliseconds of event-loop time, so results are cached by a
// key the caller makes from everything the chart shows.
import { LRUCache } from 'lru-cache';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** NHS.UK colours with at least 3:1 against white (WCAG 1.4.11): blue, purple, green, plum. */
export const CHART_PALETTE = ['#005eb8', '#330072', '#007f3b', '#7c2855'];
/** Arial (the pages' font here) at a size readable on a phone. */
export const CHART_CONFIG = {
  font: 'Arial',
  axis: { labelFontSize: 13, titleFontSize: 13, titleFontWeight: 'normal' as const, labelColor: '#212b32' },
  legend: { labelFontSize: 13 },
};

const cache = new LRUCache<string, string>({ max: 500 });

/**
 * The root element's fixed size becomes 100% of its container; the viewBox keeps the shape.
 * Coordinates keep two decimals (a hundredth of a pixel): vega writes up to sixteen.
 */
function responsive(svg: string): string {
  return svg
    .replace(/ width="[\d.]+" height="[\d.]+"( viewBox="[^"]+")/, ' width="100%"$1')
    .replace(/(\d\.\d\d)\d+/g, '$1');
}

export async function chartSvg(key: string, spec: () => TopLevelSpec): Promise<string> {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const view = new vega.View(vega.parse(compile(spec()).spec), { renderer: 'none' });
  const svg = responsive(await view.toSVG());
  view.finalize();
  cache.set(key, svg);
  return svg;
}
