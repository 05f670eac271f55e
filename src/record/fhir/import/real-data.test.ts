import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseBundle, parseNdjson, parseResources, type ParseResult } from './parse.ts';

// --- Real data ------------------------------------------------------------------------------

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const dataDir = join(repoRoot, '..', 'shared', 'data');

function dataAvailable(t: TestContext): boolean {
  if (existsSync(dataDir)) return true;
  assert.notEqual(process.env.CI, 'true', `real data missing in CI: ${dataDir}`);
  t.diagnostic('real-data tier skipped: ../shared/data not found');
  return false;
}

function tally(results: ParseResult[]) {
  const kinds: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const problems = results.flatMap((r) => [...r.problems, ...r.patients.flatMap((p) => p.problems)]);
  for (const r of results) {
    for (const [k, v] of Object.entries(r.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
    for (const e of r.patients.flatMap((p) => p.entries)) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
  }
  return { kinds, skipped, problems, patients: results.reduce((n, r) => n + r.patients.length, 0) };
}

test('real data: 24 Synthea transaction bundles', (t) => {
  if (!dataAvailable(t)) return;
  const dir = join(dataDir, 'synthea-fhir-r4-patients');
  const bundles = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown);
  const started = performance.now();
  const results = bundles.map((b) => parseBundle(b));
  const ms = performance.now() - started;
  const resources = results.reduce((n, r) => n + r.resources, 0);
  t.diagnostic(
    `speed: ${resources} resources in ${ms.toFixed(1)} ms = ${Math.round((resources / ms) * 1000)} resources/s`,
  );
  const { kinds, skipped, problems, patients } = tally(results);
  assert.deepEqual(problems, []);
  assert.equal(patients, 24);
  assert.equal(resources, 6093);
  assert.deepEqual(kinds, {
    consultation: 570,
    allergy: 122,
    problem: 146,
    medication: 183,
    value: 1227,
    procedure: 249,
    immunisation: 345,
    result: 1713,
  });
  assert.deepEqual(skipped, {
    Organization: 44,
    Practitioner: 44,
    CarePlan: 75,
    Claim: 753,
    ExplanationOfBenefit: 570,
    Goal: 25,
    ImagingStudy: 3,
  });
  const entries = results.flatMap((r) => r.patients.flatMap((p) => p.entries));
  const linked = entries.filter((e) => e.details.kind === 'result' && e.details.reportId !== null);
  assert.equal(linked.length, 1411); // lab Observations listed in a DiagnosticReport.result
  // Every entry but the consultations themselves and the allergies (Synthea gives those no encounter) is linked.
  const unlinked = entries.filter((e) => e.kind !== 'consultation' && e.consultationSource === null);
  assert.deepEqual([...new Set(unlinked.map((e) => e.kind))], ['allergy']);
  assert.equal(unlinked.length, 122);
  assert.ok(
    entries
      .filter((e) => e.kind === 'consultation')
      .every((e) => e.details.kind === 'consultation' && e.details.clinician !== null),
  );
});

test('real data: Synthea bulk NDJSON (6 files together)', (t) => {
  if (!dataAvailable(t)) return;
  const dir = join(dataDir, 'synthea-bulk-ndjson-10-patients');
  const resources: unknown[] = [];
  const labels: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ndjson'))) {
    const parsed = parseNdjson(readFileSync(join(dir, file), 'utf8'), file);
    assert.deepEqual(parsed.problems, []);
    resources.push(...parsed.resources);
    labels.push(...parsed.labels);
  }
  const result = parseResources(resources, labels);
  const { kinds, skipped, problems, patients } = tally([result]);
  assert.equal(result.resources, 3700);
  assert.equal(patients, 13); // 10 alive + 3 deceased earlier "lives" of a Synthea seed
  assert.deepEqual(problems, []);
  assert.deepEqual(skipped, {});
  assert.deepEqual(kinds, {
    problem: 555,
    consultation: 1215,
    immunisation: 161,
    medication: 1745,
    allergy: 11,
  });
});

test('real data: UK Core examples of every type together', (t) => {
  if (!dataAvailable(t)) return;
  const dir = join(dataDir, 'uk-core-examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const result = parseResources(
    files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown),
    files,
  );
  assert.equal(result.resources, 225); // 215 files, Bundles opened (5 Bundles → 15 entries with a resource)
  const byPatient = Object.fromEntries(result.patients.map((p) => [p.patient.source.id, p.entries.length]));
  assert.deepEqual(byPatient, {
    'Patient/UKCore-Patient-BabyPatient-Example': 1,
    'Patient/UKCore-Patient-RichardSmith-Example': 58,
  });
  const richard = result.patients.find((p) => p.patient.source.id.includes('RichardSmith'));
  assert.equal(richard?.patient.nhsNumber, '9912003888');
  const baby = result.patients.find((p) => p.patient.source.id.includes('BabyPatient'));
  assert.equal(baby?.patient.nhsNumber, null); // 9912003890 fails modulus 11
  assert.equal(baby.problems[0]?.field, 'Patient.identifier');
  const { kinds, problems } = tally([result]);
  assert.deepEqual(kinds, {
    immunisation: 13,
    allergy: 4,
    value: 20,
    result: 4,
    document: 2,
    consultation: 1,
    medication: 9,
    procedure: 1,
    referral: 5,
  });
  assert.equal(result.skipped['AllergyIntolerance (entered-in-error)'], 1);
  const unknownSubject = result.problems.filter((p) => p.message.includes('is not a Patient in this import'));
  assert.equal(unknownSubject.length, 10);
  assert.ok(unknownSubject.some((p) => p.message.includes('urn:uuid:')));
  assert.equal(problems.length, 65 + richard.problems.length + baby.problems.length);
  assert.ok(richard.entries.some((e) => e.coding.some((c) => c.system === 'https://dmd.nhs.uk')));
});
