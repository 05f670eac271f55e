// Registering patients at a practice (CLI, demo data, later the clinical-system feed).
import { randomUUID } from 'node:crypto';
import type { Actor } from '../platform/auth/actor.ts';
import { auditActor, SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import { assertCan } from '../platform/auth/permissions.ts';
import type { AuditActor, RequestMeta } from '../platform/audit/audit.ts';
import { audit } from '../platform/audit/use-case.ts';
import { sqlState, type Db, type Tx } from '../platform/db/index.ts';
import { AppError } from '../platform/http/errors.ts';
import { englandDay } from '../platform/dates.ts';
import { permissions } from './permissions.ts';
import { isIsoDate } from './rules.ts';
import * as store from './store.ts';
import { atTime } from './system-service.ts';
import type { Ctx } from '../platform/context.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../platform/nhs-number.ts';

const today = englandDay;

// --- Adding patients (CLI, demo, practice) ----------------------------------------------------

export type NewPatient = {
  practiceOds: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  addressLines?: string[];
  postcode?: string | null;
  email?: string | null;
  phone?: string | null;
};

export function validatePatient(p: NewPatient, now: Date): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (!isValidNhsNumber(p.nhsNumber))
    errors.push({
      field: 'nhsNumber',
      message: `NHS number ${p.nhsNumber} is not valid (10 digits with a correct check digit)`,
    });
  if (!p.givenName.trim()) errors.push({ field: 'givenName', message: 'Enter a given name' });
  if (!p.familyName.trim()) errors.push({ field: 'familyName', message: 'Enter a family name' });
  if (!isIsoDate(p.birthDate) || p.birthDate > today(now))
    errors.push({ field: 'birthDate', message: 'Enter a real date of birth in the past (YYYY-MM-DD)' });
  if (!['female', 'male', 'other', 'unknown'].includes(p.sex))
    errors.push({ field: 'sex', message: 'Sex must be female, male, other or unknown' });
  return errors;
}

export async function newAccountRef(db: Db | Tx, practiceOds: string): Promise<string> {
  for (;;) {
    const ref = String(100_000_000 + Math.floor(Math.random() * 900_000_000));
    if (!(await store.patientByAccountRef(db, practiceOds, ref))) return ref;
  }
}

export type PatientsActor = Actor | { kind: 'system' };

/** Registers a patient at a practice (staff at that practice, or the system for CLI and demo). */
export async function addPatient(
  ctx: Ctx,
  actor: PatientsActor,
  p: NewPatient,
): Promise<{ patientId: string; accountRef: string }> {
  if (actor.kind !== 'system') assertCan(actor, permissions.addPatient, p.practiceOds);
  const now = ctx.clock.now();
  return ctx.db
    .transaction()
    .execute((tx) =>
      registerPatientTx(tx, actor.kind === 'system' ? SYSTEM_ACTOR : auditActor(actor), p, now, ctx.meta),
    );
}

/**
 * Registers a patient inside the caller's transaction (imports register many, each with its
 * record, all or nothing). `source` keeps the id the patient has in the system they came from.
 */
export async function registerPatientTx(
  tx: Tx,
  by: AuditActor,
  p: NewPatient & { source?: { system: string; id: string } | null },
  now: Date,
  meta: RequestMeta | null = null,
): Promise<{ patientId: string; accountRef: string }> {
  const nhsNumber = normaliseNhsNumber(p.nhsNumber);
  const errors = validatePatient({ ...p, nhsNumber }, now);
  if (errors.length) throw AppError.invalid(errors);
  const id = randomUUID();
  const accountRef = await newAccountRef(tx, p.practiceOds);
  try {
    await store.insertPatient(tx, {
      id,
      practice_ods: p.practiceOds,
      nhs_number: nhsNumber,
      given_name: p.givenName.trim(),
      family_name: p.familyName.trim(),
      birth_date: p.birthDate,
      sex: p.sex,
      address_lines: p.addressLines ?? [],
      postcode: p.postcode ?? null,
      email: p.email ?? null,
      phone: p.phone ?? null,
      online_account_ref: accountRef,
      source_system: p.source?.system ?? null,
      source_id: p.source?.id ?? null,
      // The use case's clock, as every other stamp (the POMI return counts patients by it).
      created_at: now,
    });
  } catch (err) {
    const code = sqlState(err);
    if (code === '23505')
      throw AppError.invalid([
        { field: 'nhsNumber', message: `A patient with NHS number ${nhsNumber} is already registered` },
      ]);
    if (code === '23503')
      throw AppError.invalid([
        { field: 'practiceOds', message: `No practice with ODS code ${p.practiceOds}` },
      ]);
    throw err;
  }
  await audit(tx, atTime(tx, now, meta), by, {
    action: 'patient.register',
    practiceOds: p.practiceOds,
    patientId: id,
  });
  return { patientId: id, accountRef };
}
