import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../platform/http/errors.ts';
import type { RecordAccess } from '../model.ts';
import type { VisibleEntry } from '../access/rules.ts';
import {
  groupBySection,
  newestFirst,
  outOfRange,
  pageIndex,
  SECTION_ORDER,
  sectionBySlug,
  sectionView,
  summaryView,
} from './present.ts';

test('out of range from limits or interpretation', () => {
  assert.equal(outOfRange({ value: 50, low: 20, high: 48, interpretation: null }), 'high');
  assert.equal(outOfRange({ value: 3, low: 3.5, high: 5.3, interpretation: null }), 'low');
  assert.equal(outOfRange({ value: 4, low: 3.5, high: 5.3, interpretation: null }), null);
  assert.equal(outOfRange({ value: null, low: null, high: null, interpretation: 'H' }), 'high');
});

const entry = (over: Partial<VisibleEntry> & Pick<VisibleEntry, 'kind' | 'details'>): VisibleEntry => ({
  id: 'e1',
  clinicalDate: '2026-01-02',
  recordedAt: '2026-01-02T10:00:00Z',
  coding: [],
  title: 'Entry',
  text: null,
  consultationId: null,
  ...over,
});
const measurement = { value: 6.6, valueText: null, unit: 'mmol/L', low: null, high: 5, interpretation: null };
/** The flag withFlags put on a result's measurement. */
const flagOf = (d: VisibleEntry['details'] | undefined): unknown =>
  d?.kind === 'result' && d.measurement && 'flag' in d.measurement ? d.measurement.flag : undefined;
const result = entry({
  kind: 'result',
  details: { kind: 'result', measurement, components: [], reportId: null, category: null },
});

test('a page number from the query string: 1-based in, 0-based out, anything odd is the first page', () => {
  assert.equal(pageIndex(undefined), 0);
  assert.equal(pageIndex('3'), 2);
  assert.equal(pageIndex(''), 0);
  assert.equal(pageIndex('10000'), 9_999);
  // Not a whole number from 1: a 400 naming the field, never a quiet page 1.
  for (const odd of ['0', '00', '-1', 'x', 'abc', '1.5', '1e3', ' 2', ['2', '3']])
    assert.throws(
      () => pageIndex(odd),
      (e: unknown) => e instanceof AppError && e.code === 'invalid' && e.fields[0]?.field === 'page',
      String(odd),
    );
  // Past any record's end (and past what the database's offset could hold): a 404.
  for (const far of ['10001', '99999', '99999999999999999999999'])
    assert.throws(
      () => pageIndex(far),
      (e: unknown) => e instanceof AppError && e.code === 'not-found',
      far,
    );
});

test('headings by slug, and entries grouped under them in the record’s order with flags', () => {
  assert.equal(sectionBySlug('test-results')?.kind, 'result');
  assert.equal(sectionBySlug('nope'), undefined);
  const allergy = entry({
    id: 'a1',
    kind: 'allergy',
    details: { kind: 'allergy', category: null, type: null, criticality: null, reactions: [], active: true },
  });
  const groups = groupBySection([result, allergy]);
  assert.deepEqual(
    groups.map((g) => g.section.slug),
    ['allergies', 'test-results'],
  );
  const flagged = groups[1]?.entries[0]?.details;
  assert.equal(flagOf(flagged), 'high');
});

test('the summary and a heading page carry flagged entries and the level’s words', () => {
  const access: RecordAccess = {
    level: 'detailed',
    prospectiveFrom: '2026-01-01',
    detailedFrom: '2026-01-01',
    fullFrom: null,
    historicAccess: false,
    historicLevel: null,
    reviewedAt: null,
    withheld: false,
  };
  const summary = summaryView({ access, sections: [], medicines: [], allergies: [] });
  assert.equal(summary.levelText, 'your detailed coded record');
  const section = SECTION_ORDER[4]!;
  const page = sectionView({
    section,
    entries: [result],
    children: new Map([['c1', [result]]]),
    page: 0,
    more: false,
  });
  const shown = page.page.entries[0]?.details;
  assert.equal(flagOf(shown), 'high');
  const child = page.page.children.get('c1')?.[0]?.details;
  assert.equal(flagOf(child), 'high');
});

test('HAZ-19 a medicine’s quantity is counted in its own dose form, singular for 1', () => {
  const medicine = (quantity: number, quantityUnit: string | null) =>
    entry({
      kind: 'medication',
      details: {
        kind: 'medication',
        prescriptionType: 'acute',
        status: 'past',
        dosage: null,
        quantity,
        quantityUnit,
        issuesAuthorised: null,
        issuesDone: null,
        reviewDate: null,
        lastIssued: null,
      },
    });
  const shown = (e: VisibleEntry) => {
    const d = groupBySection([e])[0]?.entries[0]?.details;
    return d && 'quantityText' in d ? d.quantityText : undefined;
  };
  assert.equal(shown(medicine(15, 'capsule')), '15 capsules');
  assert.equal(shown(medicine(1, 'inhaler')), '1 inhaler');
  assert.equal(shown(medicine(28, 'tablet')), '28 tablets');
});

test('newest first by clinical date, then by when recorded', () => {
  const a = { clinicalDate: '2026-01-01', recordedAt: '2026-01-01T09:00:00Z' };
  const b = { clinicalDate: '2026-01-01', recordedAt: '2026-01-01T10:00:00Z' };
  const c = { clinicalDate: null, recordedAt: '2026-02-01T10:00:00Z' };
  assert.deepEqual([a, b, c].sort(newestFirst), [c, b, a]);
});
