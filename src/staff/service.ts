// Staff users: created by an admin (or the CLI), each with a role and, for practice roles, a practice.
import { sqlState } from '../platform/db/index.ts';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../platform/auth/actor.ts';
import { SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import { assertCan } from '../platform/auth/permissions.ts';
import {
  hashPassword,
  isBase32Secret,
  newTotpSecret,
  sealSecret,
  type SecretKey,
} from '../platform/auth/secrets.ts';
import { audit } from '../platform/audit/use-case.ts';
import { weakPasswordProblem } from '../platform/auth/password-strength.ts';
import type { StaffRole } from '../platform/db/schema.ts';
import { AppError, type FieldError } from '../platform/http/errors.ts';
import type { Ctx } from '../platform/context.ts';
import { permissions } from './permissions.ts';
import { roleLabel } from './rules.ts';
import * as store from './store.ts';

export const STAFF_ROLES: { value: StaffRole; text: string; practice: boolean }[] = [
  { value: 'receptionist', text: 'Receptionist', practice: true },
  { value: 'clinician', text: 'Clinician (GP, nurse, pharmacist)', practice: true },
  { value: 'practice-manager', text: 'Practice manager', practice: true },
  { value: 'facilitator', text: 'Facilitator', practice: false },
  { value: 'commissioner', text: 'Commissioner', practice: false },
  { value: 'admin', text: 'Administrator', practice: false },
];

const pluralLabel = (role: StaffRole) =>
  role === 'admin' ? 'administrators' : `${roleLabel(role).toLowerCase()}s`;

export type NewStaff = {
  email: string;
  name: string;
  role: string;
  password: string;
  totpSecret?: string;
  practiceOds?: string | null;
  commissionerCode?: string | null;
  scopePractices?: string[];
  /** Skips the guessability check: only the demo loader, whose demo password is published anyway. */
  trustedPassword?: boolean;
};

export async function addStaffUser(
  ctx: Ctx,
  caller: Actor | null | { kind: 'system' },
  input: NewStaff,
  /** Encrypts the TOTP secret at rest; null only from the demo loader in tests (sealed at start-up). */
  key: SecretKey | null,
): Promise<{ id: string; totpSecret: string }> {
  if (caller?.kind !== 'system') assertCan(caller, permissions.manageUsers);
  const errors: FieldError[] = [];
  const role = STAFF_ROLES.find((r) => r.value === input.role);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email))
    errors.push({ field: 'email', message: 'Enter an email address in the correct format' });
  if (!input.name.trim()) errors.push({ field: 'name', message: 'Enter the person’s name' });
  if (!role) errors.push({ field: 'role', message: 'Choose a role' });
  if (input.password.length < 12)
    errors.push({ field: 'password', message: 'Enter a password of 12 characters or more' });
  else if (!input.trustedPassword) {
    const weak = await weakPasswordProblem(input.password, [input.email, input.name]);
    if (weak) errors.push({ field: 'password', message: weak });
  }
  if (role?.practice && !input.practiceOds)
    errors.push({
      field: 'practiceOds',
      message: `Enter the ODS code of the practice this ${roleLabel(role.value).toLowerCase()} works at`,
    });
  if (role && !role.practice && input.practiceOds)
    errors.push({
      field: 'practiceOds',
      message: `Leave the practice ODS code empty: ${pluralLabel(role.value)} do not work at one practice`,
    });
  const totpSecret = input.totpSecret ? input.totpSecret.replace(/\s/g, '').toUpperCase() : newTotpSecret();
  if (!isBase32Secret(totpSecret))
    errors.push({
      field: 'totpSecret',
      message: 'The authenticator key must be at least 16 letters A to Z and digits 2 to 7',
    });
  if (errors.length || !role) throw AppError.invalid(errors);
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password);
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await store.insertStaffUser(tx, {
        id,
        email: input.email.trim(),
        name: input.name.trim(),
        role: role.value,
        practice_ods: input.practiceOds ?? null,
        commissioner_code: input.commissionerCode ?? null,
        password_hash: passwordHash,
        totp_secret: key ? sealSecret(key, totpSecret) : totpSecret,
        // The secret was just shown to whoever added them (or is the demo's): it is in use now.
        totp_confirmed_at: ctx.clock.now(),
      });
      if (input.scopePractices?.length) await store.insertPracticeScopes(tx, id, input.scopePractices);
      await audit(tx, ctx, caller?.kind === 'system' ? SYSTEM_ACTOR : caller, {
        action: 'staff.add',
        practiceOds: input.practiceOds ?? null,
        subject: `staff:${id}`,
        details: { role: role.value },
      });
    });
  } catch (err) {
    const code = sqlState(err);
    if (code === '23505')
      throw AppError.invalid([
        { field: 'email', message: 'There is already a staff user with this email address' },
      ]);
    if (code === '23503')
      throw AppError.invalid([
        {
          field: 'practiceOds',
          message: `There is no practice with the ODS code ${input.practiceOds ?? ''}`,
        },
      ]);
    throw err;
  }
  return { id, totpSecret };
}
