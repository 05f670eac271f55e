import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordAccess } from '../model.ts';
import { asPatientPage, bulkPage, reviewPage, staffRecordPage, staffSection } from './present.ts';
import { REDACTION_REASONS } from './rules.ts';
import type { StaffRecord } from './service.ts';

const access: RecordAccess = {
  level: 'full',
  prospectiveFrom: '2026-01-01',
  detailedFrom: '2026-01-01',
  fullFrom: '2026-01-01',
  historicAccess: false,
  historicLevel: null,
  reviewedAt: null,
  withheld: false,
};
const rec: StaffRecord = {
  patient: {
    id: 'p1',
    given_name: 'Lena',
    family_name: 'Lee',
    nhs_number: '9434765919',
    birth_date: '1990-01-01',
  },
  access,
  entries: [],
  withheld: null,
  reviewed: null,
  canRedact: true,
};

test('the staff record opens at the heading asked for, else consultations; an unknown one is the first', () => {
  assert.equal(staffSection(undefined)?.slug, 'consultations');
  assert.equal(staffSection('medicines')?.slug, 'medicines');
  assert.equal(staffSection('nope')?.slug, 'medicines');
  assert.equal(staffSection(['medicines', 'allergies'])?.slug, 'medicines');
});

test('one builder for the staff record page, whether shown or shown again after a form error', () => {
  const page = staffRecordPage(rec, staffSection('consultations'), { flash: 'hidden' });
  assert.equal(page.title, 'GP record: Lena Lee');
  assert.equal(page.backHref, '/staff/patients/p1');
  assert.equal(page.reasons, REDACTION_REASONS);
  assert.equal(page.flash, 'hidden');
  const again = staffRecordPage(rec, staffSection('consultations'), { firstField: 'reason' });
  assert.equal(again.firstField, 'reason');
  assert.equal(again.sections.length, 11);
});

test('view as patient: grouped under headings, with the level in words; the review page', () => {
  const page = asPatientPage({ access, entries: [] }, 'p1');
  assert.deepEqual(page.grouped, []);
  assert.equal(page.levelText, 'your full record, including notes and documents');
  assert.equal(page.backHref, '/staff/patients/p1/record');
  const queue = { results: [], documents: [], imports: [], requests: [] };
  assert.deepEqual(reviewPage(queue, { flash: 'item' }), {
    title: 'Record review',
    queue,
    reasons: REDACTION_REASONS,
    flash: 'item',
  });
});

test('bulk enable says how many patients it switched on, with the right plural', () => {
  const excluded = {};
  assert.equal(bulkPage({ enabled: 0, excluded }).enabledText, '0 patients now have prospective full access');
  assert.equal(bulkPage({ enabled: 1, excluded }).enabledText, '1 patient now has prospective full access');
  assert.equal(bulkPage({ enabled: 7, excluded }).enabledText, '7 patients now have prospective full access');
  assert.equal(bulkPage(null).enabledText, null);
});
