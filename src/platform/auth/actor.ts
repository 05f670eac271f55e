// Who is asking. Every service call takes an Actor; routes build it from the session or token.
import type { AuditActor } from '../audit/audit.ts';
import type { ProofingLevel, StaffRole } from '../db/schema.ts';

export type PatientActor = {
  kind: 'patient';
  accountId: string;
  email: string;
  patientId: string | null;
  practiceOds: string | null;
  proofingLevel: ProofingLevel;
  /** The linked patient's name, for the header; absent before the account is linked. */
  displayName?: string | null;
};

export type StaffActor = {
  kind: 'staff';
  staffId: string;
  email: string;
  name: string;
  role: StaffRole;
  practiceOds: string | null;
  commissionerCode: string | null;
};

export type Actor = PatientActor | StaffActor;

export function auditActor(actor: Actor | null): AuditActor {
  if (!actor) return { type: 'anonymous', id: null, role: null };
  if (actor.kind === 'patient') return { type: 'patient', id: actor.accountId, role: 'patient' };
  return { type: 'staff', id: actor.staffId, role: actor.role };
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, role: 'system' };
