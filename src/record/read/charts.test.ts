import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyChartSpec, historyChartSvg, rangeBands, type ChartPoint } from './charts.ts';
import { rangeCaption } from './history.ts';

const hba1c = (low: number | null, high: number | null): ChartPoint[] =>
  [52, 58, 61, 55].map((value, i) => ({
    date: `2025-0${String(i + 1)}-15`,
    value,
    series: 'Haemoglobin A1c level',
    unit: 'mmol/mol',
    low,
    high,
  }));
const labels = { title: 'Haemoglobin A1c level', unit: 'mmol/mol' };
const layerNames = (points: ChartPoint[]) => {
  const spec = historyChartSpec(points, labels);
  return 'layer' in spec ? spec.layer.map((l) => ('name' in l ? l.name : undefined)) : [];
};
let n = 0;
const svgOf = (points: ChartPoint[], l = labels) => historyChartSvg(`test-${String(++n)}`, points, l);

test('HAZ-19 the chart shades the normal range when the results give one, and not when they do not', async () => {
  assert.deepEqual(layerNames(hba1c(20, 48)), ['normal_range', 'results']);
  assert.deepEqual(layerNames(hba1c(null, null)), ['results']);
  assert.deepEqual(layerNames(hba1c(null, 5)), ['normal_range_up_to', 'results']);
  assert.deepEqual(layerNames(hba1c(60, null)), ['normal_range_from', 'results']);
  assert.match(await svgOf(hba1c(20, 48)), /class="mark-rect role-mark normal_range_marks"/);
  assert.doesNotMatch(await svgOf(hba1c(null, null)), /normal_range/);
  assert.deepEqual(rangeBands(hba1c(20, 48)), [
    { series: 'Haemoglobin A1c level', low: 20, high: 48, from: '2025-01-15', to: '2025-04-15' },
  ]);
});

test('HAZ-19 the chart names its axes with units, scales to its container and keeps the legend whole', async () => {
  const svg = await svgOf(hba1c(20, 48));
  assert.match(svg, />Haemoglobin A1c level \(mmol\/mol\)</, 'the value axis names the unit');
  assert.match(svg, />Date of result</);
  const root = /^\S+[^>]*>/.exec(svg)?.[0] ?? '';
  assert.match(root, / width="100%"/);
  assert.match(root, / viewBox="0 0 [\d.]+ [\d.]+"/);
  assert.doesNotMatch(root, / height=/, 'the height follows the width');
  const bp: ChartPoint[] = ['2025-01-01', '2025-03-01'].flatMap((date, i) => [
    { date, value: 130 + i, series: 'Systolic blood pressure', unit: 'mmHg', low: 90, high: 140 },
    { date, value: 80 + i, series: 'Diastolic blood pressure', unit: 'mmHg', low: 60, high: 90 },
  ]);
  const two = await svgOf(bp, { title: 'Blood pressure', unit: 'mmHg' });
  assert.match(two, />Systolic blood pressure</);
  assert.match(two, />Diastolic blood pressure</);
  assert.doesNotMatch(two, /…/, 'no legend label is cut short');
  assert.equal(
    rangeCaption(bp),
    'The shaded areas are the normal ranges: Systolic blood pressure, 90 to 140 mmHg; Diastolic blood pressure, 60 to 90 mmHg.',
  );
  assert.equal(rangeCaption(hba1c(20, 48)), 'The shaded area is the normal range, 20 to 48 mmol/mol.');
  assert.equal(rangeCaption(hba1c(null, 5)), 'The shaded area is the normal range, up to 5 mmol/mol.');
  assert.equal(rangeCaption(hba1c(null, null)), null);
});
