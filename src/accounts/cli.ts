// `gp-online user add --role patient`: a patient with a linked, verified online account, for scripts.
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import {
  hashPassword,
  isBase32Secret,
  newTotpSecret,
  sealSecret,
  type SecretKey,
} from '../platform/auth/secrets.ts';
import { auditedChange } from '../platform/audit/use-case.ts';
import type { ProofingLevel, RecordLevel } from '../platform/db/schema.ts';
import { AppError } from '../platform/http/errors.ts';
import { isEmail, normaliseSettings, NO_SERVICES, passwordProblem } from './rules.ts';
import { addPatient } from './register.ts';
import type { Ctx } from '../platform/context.ts';
import * as store from './store.ts';
import { insertAccount } from './account-store.ts';
import { englandDay } from '../platform/dates.ts';

const LEVELS: ProofingLevel[] = ['P0', 'P5', 'P9'];
const RECORD: RecordLevel[] = ['none', 'summary', 'detailed', 'full'];

export async function addPatientWithAccount(
  ctx: Ctx,
  o: Record<string, string | undefined>,
  /** Encrypts the TOTP secret at rest; tests may leave it out (legacy plaintext, sealed on first use). */
  key: SecretKey | null = null,
) {
  const errors = [];
  const proofing = (o.proofing ?? 'P9').toUpperCase() as ProofingLevel;
  const recordLevel = (o.recordLevel ?? 'none') as RecordLevel;
  const services = new Set(
    (o.services ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if (!LEVELS.includes(proofing)) errors.push({ field: 'proofing', message: 'must be P0, P5 or P9' });
  if (!RECORD.includes(recordLevel))
    errors.push({ field: 'record-level', message: 'must be none, summary, detailed or full' });
  for (const s of services)
    if (!['appointments', 'repeats', 'pharmacy'].includes(s))
      errors.push({
        field: 'services',
        message: `unknown service "${s}" (use appointments, repeats, pharmacy)`,
      });
  if (!o.practice) errors.push({ field: 'practice', message: 'is required for a patient' });
  if (!o.email || !isEmail(o.email)) errors.push({ field: 'email', message: 'must be an email address' });
  const pw = passwordProblem(o.password ?? '', o.email ?? '');
  if (pw) errors.push({ field: 'password', message: pw });
  if (o.totpSecret && !isBase32Secret(o.totpSecret))
    errors.push({ field: 'totp-secret', message: 'must be base32, at least 16 characters' });
  for (const k of ['nhsNumber', 'given', 'family', 'birthDate'] as const)
    if (!o[k]) errors.push({ field: k, message: 'is required for a patient' });
  if (errors.length) throw AppError.invalid(errors);
  const practiceOds = (o.practice ?? '').toUpperCase();
  const { patientId, accountRef } = await addPatient(
    ctx,
    { kind: 'system' },
    {
      practiceOds,
      nhsNumber: o.nhsNumber ?? '',
      givenName: o.given ?? '',
      familyName: o.family ?? '',
      birthDate: o.birthDate ?? '',
      sex: (o.sex ?? 'unknown') as 'unknown',
    },
  );
  const now = ctx.clock.now();
  const accountId = randomUUID();
  const totpSecret = o.totpSecret ?? newTotpSecret();
  const passwordHash = await hashPassword(o.password ?? '');
  const settings = normaliseSettings(
    {
      ...NO_SERVICES,
      appointments: services.has('appointments'),
      repeatPrescriptions: services.has('repeats'),
      pharmacyView: services.has('pharmacy'),
      pharmacyUpdate: services.has('pharmacy'),
      recordLevel,
    },
    NO_SERVICES,
    englandDay(now),
  );
  const event = {
    action: 'account.create-linked',
    practiceOds,
    patientId,
    subject: `account:${accountId}`,
    details: { proofingLevel: proofing, settings },
  };
  // The system acts here, not the person at the terminal: no request to record.
  await auditedChange({ ...ctx, meta: null }, SYSTEM_ACTOR, event, async (tx) => {
    await insertAccount(tx, {
      id: accountId,
      email: o.email ?? '',
      password_hash: passwordHash,
      totp_secret: key ? sealSecret(key, totpSecret) : totpSecret,
      email_confirmed_at: now,
      totp_confirmed_at: now,
      proofing_level: proofing,
      patient_id: patientId,
      practice_ods: practiceOds,
      linked_at: now,
    });
    await store.saveSettings(tx, { practiceOds, patientId, settings, expectedVersion: 0, by: null, at: now });
    await store.insertSettingsHistory(tx, {
      practiceOds,
      patientId,
      version: 1,
      settings,
      changed: {},
      reason: 'gp-online user add',
      by: null,
      at: now,
    });
  });
  return { patient_id: patientId, account_id: accountId, account_ref: accountRef, totp_secret: totpSecret };
}
