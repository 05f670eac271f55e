// Use cases of the GP record: patients reading what they may see, clinicians reviewing and
// redacting. Every read of patient data is audited; every change is audited in its transaction.
import { randomUUID } from 'node:crypto';
import type { Actor, StaffActor } from '../platform/auth/actor.ts';
import { auditActor } from '../platform/auth/actor.ts';
import { assertPatient, assertStaff, can, type StaffRule } from '../platform/auth/permissions.ts';
import { recordAudit, recordAuditAlone } from '../platform/audit/audit.ts';
import type { Ctx } from '../platform/context.ts';
import type { Db, Tx } from '../platform/db/index.ts';
import { AppError } from '../platform/http/errors.ts';
import { enableFullAccessBySystem, settingsOf } from '../accounts/practice-service.ts';
import { canUse, type ServiceSettings } from '../accounts/rules.ts';
import type { EntryKind, RecordAccess, RecordEntry } from './model.ts';
import { permissions } from './permissions.ts';
import {
  accessPlan,
  automaticAccess,
  kindsFor,
  ONLINE_ACCESS_CODES,
  SECTION_ORDER,
  turns16On,
  visibleRecord,
  type AutomaticAccessOutcome,
  type VisibleEntry,
} from './rules.ts';
import { sql } from 'kysely';
import * as store from './store.ts';

/** Entries a page: a screenful a person reads; consultations carry their coded entries, so fewer. */
export const PAGE_SIZE = 25;
export const CONSULTATIONS_PAGE_SIZE = 10;

/** The settings (kept by accounts) and the withhold, in one read, as the record uses them. */
async function settingsAndAccess(
  db: Db | Tx,
  practiceOds: string,
  patientId: string,
): Promise<{ settings: ServiceSettings; access: RecordAccess }> {
  const row = await store.accessRow(db, practiceOds, patientId);
  const settings: ServiceSettings = {
    appointments: row?.appointments ?? false,
    repeatPrescriptions: row?.repeat_prescriptions ?? false,
    recordLevel: row?.record_level ?? 'none',
    prospectiveFrom: row?.prospective_from ?? null,
    historicAccess: row?.historic_access ?? false,
    pharmacyView: row?.pharmacy_view ?? false,
    pharmacyUpdate: row?.pharmacy_update ?? false,
  };
  const access: RecordAccess = {
    level: settings.recordLevel,
    prospectiveFrom: settings.prospectiveFrom,
    historicAccess: settings.historicAccess,
    withheld: row?.withheld ?? false,
  };
  return { settings, access };
}

/** The access a patient's record is shown with: their settings and the practice's withhold. */
export async function recordAccessFor(
  db: Db | Tx,
  practiceOds: string,
  patientId: string,
): Promise<RecordAccess> {
  return (await settingsAndAccess(db, practiceOds, patientId)).access;
}

type Me = { accountId: string; patientId: string; practiceOds: string };

/** A patient may read their record only when linked, at P9, with record access switched on. */
export async function ownRecordAccess(
  ctx: Ctx,
  actor: Actor | null,
): Promise<{ me: Me; access: RecordAccess }> {
  const p = assertPatient(actor);
  if (!p.patientId || !p.practiceOds)
    throw new AppError('forbidden', 'Link your account to your GP record first.', { reason: 'not-linked' });
  const me = { accountId: p.accountId, patientId: p.patientId, practiceOds: p.practiceOds };
  const { settings, access } = await settingsAndAccess(ctx.db, me.practiceOds, me.patientId);
  if (!canUse({ linked: true, proofingLevel: p.proofingLevel }, settings, 'record')) {
    throw new AppError(
      'forbidden',
      settings.recordLevel === 'none'
        ? 'Your GP practice has not switched on online access to your record.'
        : 'Your GP practice needs to check your identity before you can see your record online.',
      { reason: settings.recordLevel === 'none' ? 'record-access-off' : 'identity-check-needed' },
    );
  }
  return { me, access };
}

/** Visible entries of some headings, a page at a time; consultations the entries point at are checked too. */
export async function visiblePage(
  db: Db,
  practiceOds: string,
  patientId: string,
  access: RecordAccess,
  kinds: readonly EntryKind[],
  page: number,
  size: number,
  code?: string,
  summaryOnly = false,
): Promise<{ entries: VisibleEntry[]; more: boolean; rows: RecordEntry[] }> {
  const plan = accessPlan(access);
  const { entries: candidates, consultations } = await store.visibleCandidates(
    db,
    practiceOds,
    patientId,
    plan,
    {
      kinds,
      limit: size + 1,
      offset: page * size,
      code,
      summaryOnly,
    },
  );
  const more = candidates.length > size;
  const pageRows = candidates.slice(0, size);
  // Each entry's consultation came with it (flags and dates), so the rule judges them together.
  const onPage = new Set(pageRows.map((e) => e.id));
  const related = consultations.filter((c) => !onPage.has(c.id));
  const visible = visibleRecord([...related, ...pageRows], access);
  const wanted = new Set(pageRows.map((e) => e.id));
  return { entries: visible.filter((e) => wanted.has(e.id)), more, rows: pageRows };
}

export async function auditView(
  ctx: Ctx,
  actor: Actor,
  me: { patientId: string; practiceOds: string },
  subject: string,
): Promise<void> {
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(actor),
      action: 'record.view',
      outcome: 'success',
      practiceOds: me.practiceOds,
      patientId: me.patientId,
      subject,
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
}

export type RecordSummary = {
  access: RecordAccess;
  sections: (typeof SECTION_ORDER)[number][];
  medicines: VisibleEntry[];
  allergies: VisibleEntry[];
};

/** "Your GP record": the headings the patient's level shows, with current medicines and allergies. */
export async function ownRecordSummary(ctx: Ctx, actor: Actor | null): Promise<RecordSummary> {
  const { me, access } = await ownRecordAccess(ctx, actor);
  const kinds = new Set(access.withheld ? [] : kindsFor(access.level));
  // Current medicines and allergies only: summary information, in one query.
  const { entries } = await visiblePage(
    ctx.db,
    me.practiceOds,
    me.patientId,
    access,
    ['medication', 'allergy'],
    0,
    200,
    undefined,
    true,
  );
  await auditView(ctx, actor as Actor, me, 'record:summary');
  return {
    access,
    sections: SECTION_ORDER.filter((s) => kinds.has(s.kind)),
    medicines: entries.filter((e) => e.details.kind === 'medication' && e.details.status === 'current'),
    allergies: entries.filter((e) => e.kind === 'allergy'),
  };
}

export type SectionPage = {
  section: (typeof SECTION_ORDER)[number];
  entries: VisibleEntry[];
  children: Map<string, VisibleEntry[]>;
  page: number;
  more: boolean;
};

/** One heading of the record, newest first, a page at a time. Consultations come with their coded entries. */
export async function ownRecordSection(
  ctx: Ctx,
  actor: Actor | null,
  slug: string,
  page: number,
): Promise<SectionPage> {
  const { me, access } = await ownRecordAccess(ctx, actor);
  const section = SECTION_ORDER.find((s) => s.slug === slug);
  if (!section) throw new AppError('not-found', 'There is no such part of your record.');
  if (access.withheld || !kindsFor(access.level).includes(section.kind))
    throw new AppError('not-found', 'There is no such part of your record.');
  const { entries, more, rows } = await visiblePage(
    ctx.db,
    me.practiceOds,
    me.patientId,
    access,
    [section.kind],
    page,
    section.kind === 'consultation' ? CONSULTATIONS_PAGE_SIZE : PAGE_SIZE,
  );
  const children = new Map<string, VisibleEntry[]>();
  if (section.kind === 'consultation' && entries.length) {
    const ids = entries.map((e) => e.id);
    const inThem = await store.entriesInConsultations(ctx.db, me.practiceOds, me.patientId, ids);
    // The page's consultations go through the rule with their entries, so each entry is judged with its consultation.
    for (const e of visibleRecord([...rows, ...inThem], access)) {
      if (e.consultationId === null || e.kind === 'consultation') continue;
      const list = children.get(e.consultationId) ?? [];
      list.push(e);
      children.set(e.consultationId, list);
    }
  }
  await auditView(ctx, actor as Actor, me, `record:${section.slug}:page-${String(page + 1)}`);
  return { section, entries, children, page, more };
}

/** The whole visible record (JSON API and exports). */
export async function ownRecordAll(
  ctx: Ctx,
  actor: Actor | null,
): Promise<{ access: RecordAccess; entries: VisibleEntry[] }> {
  const { me, access } = await ownRecordAccess(ctx, actor);
  const entries = visibleRecord(
    await store.allEntries(
      ctx.db,
      me.practiceOds,
      me.patientId,
      access.withheld ? [] : kindsFor(access.level),
    ),
    access,
  );
  await auditView(ctx, actor as Actor, me, 'record:all');
  return { access, entries };
}

// --- Practice staff ---------------------------------------------------------------------------

function staffAt(actor: Actor | null, rule: StaffRule): StaffActor & { practiceOds: string } {
  return assertStaff(actor, rule, actor?.kind === 'staff' ? actor.practiceOds : null) as StaffActor & {
    practiceOds: string;
  };
}

async function patientAt(db: Db | Tx, practiceOds: string, patientId: string) {
  const p = /^[0-9a-f-]{36}$/.test(patientId)
    ? await db
        .selectFrom('patients')
        .select(['id', 'given_name', 'family_name', 'nhs_number', 'birth_date'])
        .where('practice_ods', '=', practiceOds)
        .where('id', '=', patientId)
        .executeTakeFirst()
    : undefined;
  if (!p) throw new AppError('not-found', 'No patient with this ID is registered at your practice.');
  return p;
}

export type StaffRecord = {
  patient: Awaited<ReturnType<typeof patientAt>>;
  access: RecordAccess;
  entries: RecordEntry[];
  withheld: { reason: string | null; at: Date | null } | null;
  canRedact: boolean;
};

/** The whole record as the practice holds it, with each entry's online visibility. */
export async function staffRecord(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
  kinds?: readonly EntryKind[],
): Promise<StaffRecord> {
  const staff = staffAt(actor, permissions.viewRecord);
  const patient = await patientAt(ctx.db, staff.practiceOds, patientId);
  const [access, entries, controls] = await Promise.all([
    recordAccessFor(ctx.db, staff.practiceOds, patient.id),
    store.allEntries(ctx.db, staff.practiceOds, patient.id, kinds),
    store.controlsFor(ctx.db, staff.practiceOds, patient.id),
  ]);
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(staff),
      action: 'record.view',
      outcome: 'success',
      practiceOds: staff.practiceOds,
      patientId: patient.id,
      subject: kinds ? `record:${kinds.join(',')}` : 'record:all',
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
  return {
    patient,
    access,
    entries,
    withheld: controls?.withheld ? { reason: controls.withheld_reason, at: controls.withheld_at } : null,
    canRedact: can(staff, permissions.redact, staff.practiceOds),
  };
}

/** "View as patient": exactly what the patient's own pages would show, through the same rule. */
export async function viewAsPatient(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
): Promise<{ access: RecordAccess; entries: VisibleEntry[] }> {
  const staff = staffAt(actor, permissions.viewRecord);
  const patient = await patientAt(ctx.db, staff.practiceOds, patientId);
  const access = await recordAccessFor(ctx.db, staff.practiceOds, patient.id);
  const entries = visibleRecord(await store.allEntries(ctx.db, staff.practiceOds, patient.id), access);
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(staff),
      action: 'record.view-as-patient',
      outcome: 'success',
      practiceOds: staff.practiceOds,
      patientId: patient.id,
      subject: 'record:as-patient',
      request: ctx.meta,
    },
    ctx.clock.now(),
  );
  return { access, entries };
}

export const REDACTION_REASONS = {
  'third-party': 'Information about someone else (third-party information)',
  'serious-harm': 'Likely to cause serious harm to the patient or someone else',
  other: 'Other reason',
} as const;
export type RedactionReason = keyof typeof REDACTION_REASONS;

/** A clinician shows or hides one entry online, with a reason when hiding. */
export async function setEntryVisibility(
  ctx: Ctx,
  actor: Actor | null,
  entryId: string,
  input: { visible: boolean; reason?: string | null; note?: string | null },
): Promise<RecordEntry> {
  const staff = staffAt(actor, permissions.redact);
  if (!input.visible && !(input.reason && Object.hasOwn(REDACTION_REASONS, input.reason))) {
    throw AppError.invalid([
      { field: 'reason', message: 'Select why this entry should not be visible online' },
    ]);
  }
  const note = input.note?.trim() || null;
  if (note && note.length > 1000)
    throw AppError.invalid([{ field: 'note', message: 'The note must be 1000 characters or fewer' }]);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const entry = /^[0-9a-f-]{36}$/.test(entryId)
      ? await store.entryById(tx, staff.practiceOds, entryId)
      : undefined;
    if (!entry) throw new AppError('not-found', 'No such record entry at your practice.');
    await tx
      .updateTable('record_entries')
      .set({ visible_online: input.visible, updated_at: now })
      .where('practice_ods', '=', staff.practiceOds)
      .where('id', '=', entry.id)
      .execute();
    await tx
      .insertInto('record_visibility_decisions')
      .values({
        id: randomUUID(),
        practice_ods: staff.practiceOds,
        patient_id: entry.patientId,
        entry_id: entry.id,
        visible: input.visible,
        reason: input.visible ? null : (input.reason as RedactionReason),
        note,
        decided_by: staff.staffId,
        decided_at: now,
      })
      .execute();
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: input.visible ? 'record.entry-shown' : 'record.entry-hidden',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        patientId: entry.patientId,
        subject: `entry:${entry.id}`,
        details: { kind: entry.kind, reason: input.visible ? null : input.reason },
        request: ctx.meta,
      },
      now,
    );
    return { ...entry, visibleOnline: input.visible };
  });
}

/** Withhold or release the whole record online. */
export async function setWithheld(
  ctx: Ctx,
  actor: Actor | null,
  patientId: string,
  input: { withheld: boolean; reason?: string | null },
): Promise<void> {
  const staff = staffAt(actor, permissions.withhold);
  const reason = input.reason?.trim() || null;
  if (input.withheld && !reason)
    throw AppError.invalid([
      { field: 'reason', message: 'Give the reason for withholding the whole record' },
    ]);
  const patient = await patientAt(ctx.db, staff.practiceOds, patientId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('record_controls')
      .values({
        patient_id: patient.id,
        practice_ods: staff.practiceOds,
        withheld: input.withheld,
        withheld_reason: reason,
        withheld_by: staff.staffId,
        withheld_at: now,
      })
      .onConflict((oc) =>
        oc.column('patient_id').doUpdateSet({
          withheld: input.withheld,
          withheld_reason: reason,
          withheld_by: staff.staffId,
          withheld_at: now,
        }),
      )
      .execute();
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: input.withheld ? 'record.withheld' : 'record.released',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        patientId: patient.id,
        details: { reason },
        request: ctx.meta,
      },
      now,
    );
  });
}

// --- Automatic prospective access -------------------------------------------------------------

/** Applies the automatic-access rule to one patient inside the caller's transaction. */
export async function applyAutomaticAccess(
  tx: Tx,
  p: { practiceOds: string; patientId: string; trigger: string; byStaff?: string | null },
  now: Date,
): Promise<AutomaticAccessOutcome> {
  const patient = await tx
    .selectFrom('patients')
    .select(['birth_date'])
    .where('practice_ods', '=', p.practiceOds)
    .where('id', '=', p.patientId)
    .executeTakeFirstOrThrow();
  const { settings } = await settingsOf(tx, p.practiceOds, p.patientId);
  const codes = await store.accessCodes(tx, p.practiceOds, p.patientId, ONLINE_ACCESS_CODES);
  const outcome = automaticAccess({
    birthDate: patient.birth_date,
    today: now.toISOString().slice(0, 10),
    level: settings.recordLevel,
    codes,
  });
  if (outcome === 'enable')
    await enableFullAccessBySystem(
      tx,
      { practiceOds: p.practiceOds, patientId: p.patientId, trigger: p.trigger, byStaff: p.byStaff ?? null },
      now,
    );
  return outcome;
}

export type BulkResult = {
  enabled: number;
  excluded: Record<Exclude<AutomaticAccessOutcome, 'enable'>, number>;
};

/** A practice switches on prospective full access for every eligible patient with a linked account. */
export async function bulkEnable(ctx: Ctx, actor: Actor | null): Promise<BulkResult> {
  const staff = staffAt(actor, permissions.bulkEnable);
  const now = ctx.clock.now();
  const linked = await ctx.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('practice_ods', '=', staff.practiceOds)
    .where('patient_id', 'is not', null)
    .execute();
  const result: BulkResult = {
    enabled: 0,
    excluded: { 'already-full': 0, 'under-16': 0, 'enhanced-review': 0, declined: 0 },
  };
  await ctx.db.transaction().execute(async (tx) => {
    for (const { patient_id } of linked) {
      if (!patient_id) continue;
      const outcome = await applyAutomaticAccess(
        tx,
        {
          practiceOds: staff.practiceOds,
          patientId: patient_id,
          trigger: 'practice bulk action',
          byStaff: staff.staffId,
        },
        now,
      );
      if (outcome === 'enable') result.enabled++;
      else result.excluded[outcome]++;
    }
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: 'record.bulk-enable',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        details: result,
        request: ctx.meta,
      },
      now,
    );
  });
  return result;
}

/** A patient at the actor's practice by id or NHS number (the API accepts either). */
export async function resolvePatientRef(ctx: Ctx, actor: Actor | null, ref: string): Promise<string> {
  const staff = staffAt(actor, permissions.viewRecord);
  const nhs = ref.replace(/\s/g, '');
  if (/^\d{10}$/.test(nhs)) {
    const p = await ctx.db
      .selectFrom('patients')
      .select('id')
      .where('practice_ods', '=', staff.practiceOds)
      .where('nhs_number', '=', nhs)
      .executeTakeFirst();
    if (!p)
      throw new AppError('not-found', 'No patient with this NHS number is registered at your practice.');
    return p.id;
  }
  return (await patientAt(ctx.db, staff.practiceOds, ref)).id;
}

/**
 * The 16th-birthday run: patients with a linked account who turn 16 today get prospective full
 * access unless the rule excludes them. Returns how many were enabled and excluded.
 */
export async function applyBirthdayAccess(ctx: Ctx): Promise<{ checked: number; enabled: number }> {
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  const candidates = await ctx.db
    .selectFrom('patients as p')
    .innerJoin('online_accounts as a', 'a.patient_id', 'p.id')
    .select(['p.id', 'p.practice_ods', 'p.birth_date'])
    .where(
      sql<boolean>`to_char(p.birth_date, 'MM-DD') in (${today.slice(5)}, ${today.slice(5) === '03-01' ? '02-29' : today.slice(5)})`,
    )
    .execute();
  let enabled = 0;
  let checked = 0;
  for (const c of candidates) {
    if (!turns16On(c.birth_date, today)) continue;
    checked++;
    const outcome = await ctx.db
      .transaction()
      .execute((tx) =>
        applyAutomaticAccess(
          tx,
          { practiceOds: c.practice_ods, patientId: c.id, trigger: '16th birthday' },
          now,
        ),
      );
    if (outcome === 'enable') enabled++;
  }
  return { checked, enabled };
}
