// Who books online: a linked patient whose practice has switched online booking on for them.
import { canUse, NO_SERVICES, settingsFor } from '../../accounts/index.ts';
import type { Actor, PatientActor } from '../../platform/auth/actor.ts';
import { assertCan } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { permissions } from '../permissions.ts';

export type Booker = { accountId: string; email: string; patientId: string; practiceOds: string };

/** A linked patient whose practice has switched online booking on for them. */
export async function bookerFor(ctx: Ctx, actor: Actor | null): Promise<Booker> {
  const { booker, proofingLevel } = linkedPatient(actor);
  const { settings } = await settingsFor(ctx.db, booker.practiceOds, booker.patientId);
  assertBookingOn(proofingLevel, settings.appointments);
  return booker;
}

/** The signed-in patient, linked to their practice (booking on or not: see `assertBookingOn`). */
export function linkedPatient(actor: Actor | null): {
  actor: PatientActor;
  booker: Booker;
  proofingLevel: PatientActor['proofingLevel'];
} {
  assertCan(actor, permissions.bookOwn);
  if (actor?.kind !== 'patient') throw new AppError('forbidden', 'This is for patients.');
  const p = actor;
  if (!p.patientId || !p.practiceOds)
    throw new AppError('forbidden', 'Link your account to your GP practice first.', { reason: 'not-linked' });
  return {
    actor: p,
    booker: { accountId: p.accountId, email: p.email, patientId: p.patientId, practiceOds: p.practiceOds },
    proofingLevel: p.proofingLevel,
  };
}

export function assertBookingOn(proofingLevel: PatientActor['proofingLevel'], appointmentsOn: boolean): void {
  if (
    !canUse({ linked: true, proofingLevel }, { ...NO_SERVICES, appointments: appointmentsOn }, 'appointments')
  )
    throw new AppError(
      'forbidden',
      'Your GP practice has not switched on online appointment booking for you.',
      {
        reason: 'booking-off',
      },
    );
}
