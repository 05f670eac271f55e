// Importing GP records from FHIR R4: each patient's import is all or nothing, a re-import updates
// by source id instead of duplicating, and a clinician's online-visibility decisions survive it.
import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../../../platform/auth/actor.ts';
import { auditActor, SYSTEM_ACTOR } from '../../../platform/auth/actor.ts';
import { assertStaff } from '../../../platform/auth/permissions.ts';
import type { AuditActor } from '../../../platform/audit/audit.ts';
import { audit, auditedChange } from '../../../platform/audit/use-case.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { Tx } from '../../../platform/db/index.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { testNhsNumber } from '../../../platform/nhs-number.ts';
import { registerPatientTx } from '../../../accounts/index.ts';
import type { EntryDraft } from '../../model.ts';
import { permissions } from '../../permissions.ts';
import * as recordStore from '../../store.ts';
import type { ParsedPatient, ParseResult } from './parse.ts';
import * as store from './store.ts';
import { errorCode, type ImportProblem } from './util.ts';

export type ImportOptions = {
  assignTestNhsNumbers?: boolean;
  /**
   * Import a patient's valid resources and report the invalid ones, instead of refusing the
   * patient (for loading partial example data; a problem with the Patient itself still refuses it).
   */
  skipInvalidResources?: boolean;
};

export type ImportSummary = {
  patients: { created: number; updated: number; rejected: number };
  entries: recordStore.UpsertCounts;
  resources: number;
  skipped: Record<string, number>;
  errors: ImportProblem[];
};

export type ImportProgress = (done: number, total: number) => void;

export type ImportRequest = {
  practiceOds: string;
  parsed: ParseResult;
  options?: ImportOptions;
  progress?: ImportProgress;
};

/** Staff who may import, or the system itself (the CLI, the demo, the benchmark). */
type Caller = Actor | null | { kind: 'system' };

/**
 * A valid NHS number from the 999 test range derived from the source id, so synthetic data gets
 * the same number on every import. `attempt` moves on when that number is already someone else's.
 */
export function testNhsNumberFor(sourceId: string, attempt = 0): string {
  const seed = createHash('sha256').update(sourceId).digest().readUInt32BE(0) % 1_000_000;
  return testNhsNumber(seed + attempt * 7919);
}

function importer(caller: Caller, practiceOds: string): AuditActor {
  return caller?.kind === 'system'
    ? SYSTEM_ACTOR
    : auditActor(assertStaff(caller, permissions.importRecords, practiceOds));
}

export async function importParsed(ctx: Ctx, caller: Caller, request: ImportRequest): Promise<ImportSummary> {
  const { practiceOds, parsed, options = {}, progress } = request;
  const by = importer(caller, practiceOds);
  if (!(await store.practiceExists(ctx.db, practiceOds)))
    throw AppError.invalid([{ field: 'practice', message: `No practice with ODS code ${practiceOds}` }]);
  const summary: ImportSummary = {
    // A Patient resource that could not be read at all is a rejected patient too.
    patients: { created: 0, updated: 0, rejected: parsed.unreadablePatients ?? 0 },
    entries: { created: {}, updated: {} },
    resources: parsed.resources,
    skipped: { ...parsed.skipped },
    errors: [...parsed.problems],
  };
  let done = 0;
  for (const p of parsed.patients) {
    const refusing = options.skipInvalidResources
      ? p.problems.filter((x) => x.resource === p.patient.source.id)
      : p.problems;
    summary.errors.push(...p.problems);
    if (refusing.length) summary.patients.rejected++;
    else {
      try {
        const r = await ctx.db
          .transaction()
          .execute((tx) => importPatient(tx, ctx, { by, practiceOds, p, options }));
        summary.patients[r.created ? 'created' : 'updated']++;
        addCounts(summary.entries, r.counts);
      } catch (err) {
        const problems = rejection(err, p.patient.source.id);
        summary.patients.rejected++;
        summary.errors.push(...problems);
      }
    }
    progress?.(++done, parsed.patients.length);
  }
  await recordStore.refreshStatisticsAfter(ctx.db, [summary.entries]);
  return summary;
}

function addCounts(into: recordStore.UpsertCounts, counts: recordStore.UpsertCounts): void {
  for (const [k, n] of Object.entries(counts.created)) into.created[k] = (into.created[k] ?? 0) + n;
  for (const [k, n] of Object.entries(counts.updated)) into.updated[k] = (into.updated[k] ?? 0) + n;
}

/** Why one patient was refused; anything but a refusal or a value the database cannot hold is a bug. */
function rejection(err: unknown, resource: string): ImportProblem[] {
  // A value PostgreSQL cannot hold (SQLSTATE class 22: out of range, bad encoding) rejects
  // this patient, not the whole import.
  const code = errorCode(err);
  if (!(err instanceof AppError) && code?.startsWith('22') === true) {
    const why = err instanceof Error ? err.message : code;
    return [{ resource, field: 'Patient', message: `a value could not be stored (${why})` }];
  }
  if (!(err instanceof AppError)) throw err;
  const fields = err.fields.length ? err.fields : [{ field: 'Patient', message: err.message }];
  return fields.map((f) => ({ resource, field: f.field, message: f.message }));
}

async function importPatient(
  tx: Tx,
  ctx: Ctx,
  {
    by,
    practiceOds,
    p,
    options,
  }: { by: AuditActor; practiceOds: string; p: ParsedPatient; options: ImportOptions },
): Promise<{ created: boolean; counts: recordStore.UpsertCounts }> {
  const now = ctx.clock.now();
  const source = p.patient.source;
  let patient = await store.patientBySource(tx, practiceOds, source);
  let nhsNumber = p.patient.nhsNumber;
  if (!patient && nhsNumber) {
    patient = await store.patientByNhsNumber(tx, nhsNumber);
    if (patient && patient.practice_ods !== practiceOds) {
      throw AppError.invalid([
        {
          field: 'Patient.identifier',
          message: `NHS number ${nhsNumber} is registered at another practice (${patient.practice_ods})`,
        },
      ]);
    }
  }
  let created = false;
  if (!patient) {
    if (!nhsNumber) {
      if (!options.assignTestNhsNumbers) {
        throw AppError.invalid([
          {
            field: 'Patient.identifier',
            message:
              'has no NHS number (system https://fhir.nhs.uk/Id/nhs-number); for synthetic data use --assign-test-nhs-numbers',
          },
        ]);
      }
      for (let attempt = 0; ; attempt++) {
        nhsNumber = testNhsNumberFor(source.id, attempt);
        if (!(await store.patientByNhsNumber(tx, nhsNumber))) break;
      }
    }
    const d = p.patient;
    const r = await registerPatientTx(
      tx,
      by,
      {
        practiceOds,
        nhsNumber,
        givenName: d.givenName,
        familyName: d.familyName,
        birthDate: d.birthDate,
        sex: d.sex,
        addressLines: d.addressLines,
        postcode: d.postcode,
        source,
      },
      now,
    );
    patient = { id: r.patientId, practice_ods: practiceOds };
    created = true;
  }
  const counts = await recordStore.upsertEntries(tx, {
    practiceOds,
    patientId: patient.id,
    drafts: p.entries,
    ids: randomUUID,
    now,
  });
  await audit(tx, ctx, by, {
    action: 'record.import',
    practiceOds,
    patientId: patient.id,
    details: { source: source.id, created: counts.created, updated: counts.updated },
  });
  return { created, counts };
}

/** Adds or updates entries of a patient already registered (demo data, the benchmark, tests). */
export async function importEntries(
  ctx: Ctx,
  caller: Caller,
  of: { practiceOds: string; patientId: string; entries: readonly EntryDraft[] },
): Promise<recordStore.UpsertCounts> {
  const { practiceOds, patientId, entries } = of;
  const by = importer(caller, practiceOds);
  const now = ctx.clock.now();
  const result = await auditedChange(
    ctx,
    by,
    (counts: recordStore.UpsertCounts) => ({
      action: 'record.import',
      practiceOds,
      patientId,
      details: { source: 'entries', created: counts.created, updated: counts.updated },
    }),
    async (tx) => {
      if (!(await store.isPatientAt(tx, { practiceOds, patientId })))
        throw new AppError('not-found', 'No such patient at this practice.');
      return recordStore.upsertEntries(tx, { practiceOds, patientId, drafts: entries, ids: randomUUID, now });
    },
  );
  await recordStore.refreshStatisticsAfter(ctx.db, [result]);
  return result;
}

/** The stored id of an entry by its source id (to act on a generated or imported entry). */
export async function entryIdBySource(
  ctx: Ctx,
  of: { practiceOds: string; patientId: string; source: { system: string; id: string } },
): Promise<string | null> {
  return store.entryIdBySource(ctx.db, of);
}
