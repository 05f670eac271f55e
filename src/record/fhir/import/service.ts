// Importing GP records from FHIR R4: each patient's import is all or nothing, a re-import updates
// by source id instead of duplicating, and a clinician's online-visibility decisions survive it.
import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../../../platform/auth/actor.ts';
import { auditActor, SYSTEM_ACTOR } from '../../../platform/auth/actor.ts';
import { assertStaff } from '../../../platform/auth/permissions.ts';
import type { AuditActor } from '../../../platform/audit/audit.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { Tx } from '../../../platform/db/index.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { registerPatientTx } from '../../../accounts/index.ts';
import type { ImportProblem, ParsedPatient, ParseResult } from './parse.ts';
import type { EntryDraft } from '../../model.ts';
import { permissions } from '../../permissions.ts';
import * as store from '../../store.ts';
import { testNhsNumber } from '../../../platform/nhs-number.ts';

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
  entries: { created: Record<string, number>; updated: Record<string, number> };
  resources: number;
  skipped: Record<string, number>;
  errors: ImportProblem[];
};

export type ImportProgress = (done: number, total: number) => void;

/**
 * A valid NHS number from the 999 test range derived from the source id, so synthetic data gets
 * the same number on every import. `attempt` moves on when that number is already someone else's.
 */
export function testNhsNumberFor(sourceId: string, attempt = 0): string {
  const seed = createHash('sha256').update(sourceId).digest().readUInt32BE(0) % 1_000_000;
  return testNhsNumber(seed + attempt * 7919);
}

type Caller = Actor | null | { kind: 'system' };

export async function importParsed(
  ctx: Ctx,
  caller: Caller,
  practiceOds: string,
  parsed: ParseResult,
  options: ImportOptions = {},
  progress?: ImportProgress,
): Promise<ImportSummary> {
  const by: AuditActor =
    caller?.kind === 'system'
      ? SYSTEM_ACTOR
      : auditActor(assertStaff(caller, permissions.importRecords, practiceOds));
  const practice = await ctx.db
    .selectFrom('practices')
    .select('ods_code')
    .where('ods_code', '=', practiceOds)
    .executeTakeFirst();
  if (!practice)
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
    const patientProblems = options.skipInvalidResources
      ? p.problems.filter((x) => x.resource === p.patient.source.id)
      : p.problems;
    if (patientProblems.length) {
      summary.patients.rejected++;
      summary.errors.push(...p.problems);
    } else {
      summary.errors.push(...p.problems);
      try {
        const r = await ctx.db
          .transaction()
          .execute((tx) => importPatient(tx, by, practiceOds, p, options, ctx.clock.now()));
        summary.patients[r.created ? 'created' : 'updated']++;
        for (const [k, n] of Object.entries(r.counts.created))
          summary.entries.created[k] = (summary.entries.created[k] ?? 0) + n;
        for (const [k, n] of Object.entries(r.counts.updated))
          summary.entries.updated[k] = (summary.entries.updated[k] ?? 0) + n;
      } catch (err) {
        // A value PostgreSQL cannot hold (SQLSTATE class 22: out of range, bad encoding) rejects
        // this patient, not the whole import.
        const code = (err as { code?: unknown } | null)?.code;
        if (!(err instanceof AppError) && typeof code === 'string' && code.startsWith('22')) {
          summary.patients.rejected++;
          summary.errors.push({
            resource: p.patient.source.id,
            field: 'Patient',
            message: `a value could not be stored (${err instanceof Error ? err.message : code})`,
          });
          progress?.(++done, parsed.patients.length);
          continue;
        }
        if (!(err instanceof AppError)) throw err;
        summary.patients.rejected++;
        summary.errors.push(
          ...(err.fields.length ? err.fields : [{ field: 'Patient', message: err.message }]).map((f) => ({
            resource: p.patient.source.id,
            field: f.field,
            message: f.message,
          })),
        );
      }
    }
    progress?.(++done, parsed.patients.length);
  }
  await store.refreshStatisticsAfter(ctx.db, [summary.entries]);
  return summary;
}

async function importPatient(
  tx: Tx,
  by: AuditActor,
  practiceOds: string,
  p: ParsedPatient,
  options: ImportOptions,
  now: Date,
): Promise<{ created: boolean; counts: store.UpsertCounts }> {
  const source = p.patient.source;
  let patient = await tx
    .selectFrom('patients')
    .select(['id', 'practice_ods'])
    .where('practice_ods', '=', practiceOds)
    .where('source_system', '=', source.system)
    .where('source_id', '=', source.id)
    .executeTakeFirst();
  let nhsNumber = p.patient.nhsNumber;
  if (!patient && nhsNumber) {
    patient = await tx
      .selectFrom('patients')
      .select(['id', 'practice_ods'])
      .where('nhs_number', '=', nhsNumber)
      .executeTakeFirst();
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
        const taken = await tx
          .selectFrom('patients')
          .select('id')
          .where('nhs_number', '=', nhsNumber)
          .executeTakeFirst();
        if (!taken) break;
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
  const counts = await store.upsertEntries(tx, practiceOds, patient.id, p.entries, randomUUID, now);
  await recordAudit(
    tx,
    {
      actor: by,
      action: 'record.import',
      outcome: 'success',
      practiceOds,
      patientId: patient.id,
      details: { source: source.id, created: counts.created, updated: counts.updated },
    },
    now,
  );
  return { created, counts };
}

/** Adds or updates entries of a patient already registered (demo data, the benchmark, tests). */
export async function importEntries(
  ctx: Ctx,
  caller: Caller,
  practiceOds: string,
  patientId: string,
  entries: readonly EntryDraft[],
): Promise<store.UpsertCounts> {
  const by: AuditActor =
    caller?.kind === 'system'
      ? SYSTEM_ACTOR
      : auditActor(assertStaff(caller, permissions.importRecords, practiceOds));
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (tx) => {
    const exists = await tx
      .selectFrom('patients')
      .select('id')
      .where('practice_ods', '=', practiceOds)
      .where('id', '=', patientId)
      .executeTakeFirst();
    if (!exists) throw new AppError('not-found', 'No such patient at this practice.');
    const counts = await store.upsertEntries(tx, practiceOds, patientId, entries, randomUUID, now);
    await recordAudit(
      tx,
      {
        actor: by,
        action: 'record.import',
        outcome: 'success',
        practiceOds,
        patientId,
        details: { source: 'entries', created: counts.created, updated: counts.updated },
      },
      now,
    );
    return counts;
  });
  await store.refreshStatisticsAfter(ctx.db, [result]);
  return result;
}

/** The stored id of an entry by its source id (to act on a generated or imported entry). */
export async function entryIdBySource(
  ctx: Ctx,
  practiceOds: string,
  patientId: string,
  source: { system: string; id: string },
): Promise<string | null> {
  const r = await ctx.db
    .selectFrom('record_entries')
    .select('id')
    .where('practice_ods', '=', practiceOds)
    .where('patient_id', '=', patientId)
    .where('source_system', '=', source.system)
    .where('source_id', '=', source.id)
    .executeTakeFirst();
  return r?.id ?? null;
}
