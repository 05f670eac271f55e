// "Who has viewed your record": the audit stream's reads of the patient's data, in plain words.
import type { Actor } from '../../platform/auth/actor.ts';
import { assertPatient } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { noSuchPage, SECTION_ORDER } from './present.ts';
import { auditView } from './service.ts';
import * as store from './store.ts';

const VIEW_ACTIONS = [
  'record.view',
  'record.view-as-patient',
  'patient.view',
  'patient.view-own-summary',
  'record.export',
] as const;

const ROLE: Record<string, string> = {
  receptionist: 'Receptionist',
  clinician: 'Clinician',
  'practice-manager': 'Practice manager',
  patient: 'You',
};

export type AccessLogRow = { at: Date; who: string; where: string | null; what: string };

/** Turns an audit subject into words a patient understands. */
export function describeSubject(action: string, subject: string | null): string {
  if (action === 'record.export') return 'Downloaded the record';
  if (action === 'record.view-as-patient') return 'Checked what you can see online';
  if (action === 'patient.view' || action === 'patient.view-own-summary')
    return 'Your details and online services';
  const parts = (subject ?? '').split(':');
  if (parts[1] === 'summary') return 'Your GP record (summary)';
  if (parts[1] === 'history') return 'History of a test or measurement';
  if (parts[1] === 'all') return 'Your whole GP record';
  const section = SECTION_ORDER.find((s) => s.slug === parts[1] || s.kind === parts[1]);
  return section ? `${section.title} in your GP record` : 'Your GP record';
}

export async function ownAccessLog(
  ctx: Ctx,
  actor: Actor | null,
  page: number,
  size = 50,
): Promise<{ rows: AccessLogRow[]; more: boolean; page: number }> {
  const p = assertPatient(actor);
  if (!p.patientId || !p.practiceOds)
    throw new AppError('forbidden', 'Link your account to your GP record first.', { reason: 'not-linked' });
  const rows = await store.viewsOf(ctx.db, p.patientId, {
    actions: VIEW_ACTIONS,
    limit: size + 1,
    offset: page * size,
  });
  if (page > 0 && rows.length === 0) throw noSuchPage(page + 1);
  await auditView(
    ctx,
    { actor: p, me: { patientId: p.patientId, practiceOds: p.practiceOds } },
    'record:access-log',
  );
  return {
    page,
    more: rows.length > size,
    rows: rows.slice(0, size).map((r) => ({
      at: r.at,
      who: r.actor_type === 'patient' ? 'You' : (ROLE[r.actor_role ?? ''] ?? 'Practice staff'),
      where: r.actor_type === 'patient' ? null : r.practice_name,
      what: describeSubject(r.action, r.subject),
    })),
  };
}
