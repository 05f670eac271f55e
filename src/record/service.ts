// Use cases of the GP record: patients reading what they may see, clinicians reviewing and
// redacting. Every read of patient data is audited; every change is audited in its transaction.
import type { Actor } from '../platform/auth/actor.ts';
import { assertPatient } from '../platform/auth/permissions.ts';
import { auditRead } from '../platform/audit/read.ts';
import type { Ctx } from '../platform/context.ts';
import type { Db, Tx } from '../platform/db/index.ts';
import { AppError } from '../platform/http/errors.ts';
import { canUse, type ServiceSettings } from '../accounts/index.ts';
import type { EntryKind, RecordAccess, RecordEntry } from './model.ts';
import { accessPlan, kindsFor, SECTION_ORDER, visibleRecord, type VisibleEntry } from './rules.ts';
import * as store from './store.ts';
import { cachedView, type Presenter, type ViewOf } from './view-cache.ts';

/** Entries a page: a screenful a person reads; consultations carry their coded entries, so fewer. */
export const PAGE_SIZE = 25;
export const CONSULTATIONS_PAGE_SIZE = 10;

/** The settings (kept by accounts) and the withhold, in one read, as the record uses them. */
async function settingsAndAccess(
  db: Db | Tx,
  practiceOds: string,
  patientId: string,
): Promise<{ settings: ServiceSettings; access: RecordAccess; version: string | null }> {
  const row = await store.accessRow(db, practiceOds, patientId);
  const settings: ServiceSettings = {
    appointments: row?.appointments ?? false,
    repeatPrescriptions: row?.repeat_prescriptions ?? false,
    recordLevel: row?.record_level ?? 'none',
    prospectiveFrom: row?.prospective_from ?? null,
    detailedFrom: row?.detailed_from ?? null,
    fullFrom: row?.full_from ?? null,
    historicAccess: row?.historic_access ?? false,
    historicLevel: row?.historic_level ?? null,
    recordLevelByHand: row?.record_level_by_hand ?? false,
    pharmacyView: row?.pharmacy_view ?? false,
    pharmacyUpdate: row?.pharmacy_update ?? false,
  };
  const access: RecordAccess = {
    level: settings.recordLevel,
    prospectiveFrom: settings.prospectiveFrom,
    detailedFrom: settings.detailedFrom,
    fullFrom: settings.fullFrom,
    historicAccess: settings.historicAccess,
    historicLevel: settings.historicLevel,
    reviewedAt: row?.whole_record_reviewed_at?.toISOString() ?? null,
    withheld: row?.withheld ?? false,
  };
  return { settings, access, version: row?.version ?? null };
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
type OwnAccess = { me: Me; access: RecordAccess; version: string | null };

/** A patient may read their record only when linked, at P9, with record access switched on. */
export async function ownRecordAccess(ctx: Ctx, actor: Actor | null): Promise<OwnAccess> {
  const p = assertPatient(actor);
  if (!p.patientId || !p.practiceOds)
    throw new AppError('forbidden', 'Link your account to your GP record first.', { reason: 'not-linked' });
  const me = { accountId: p.accountId, patientId: p.patientId, practiceOds: p.practiceOds };
  const { settings, access, version } = await settingsAndAccess(ctx.db, me.practiceOds, me.patientId);
  if (!canUse({ linked: true, proofingLevel: p.proofingLevel }, settings, 'record')) {
    throw new AppError(
      'forbidden',
      settings.recordLevel === 'none'
        ? 'Your GP practice has not switched on online access to your record.'
        : 'Your GP practice needs to check your identity before you can see your record online.',
      { reason: settings.recordLevel === 'none' ? 'record-access-off' : 'identity-check-needed' },
    );
  }
  return { me, access, version };
}

/** The cache identity of one view of the patient's own record (see view-cache.ts). */
function viewOf(own: OwnAccess, view: string): ViewOf {
  const { me, access, version } = own;
  return { practiceOds: me.practiceOds, patientId: me.patientId, version, access, view };
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
  await auditRead(ctx, actor, me, 'record.view', subject);
}

export type RecordSummary = {
  access: RecordAccess;
  sections: (typeof SECTION_ORDER)[number][];
  medicines: VisibleEntry[];
  allergies: VisibleEntry[];
};

/**
 * "Your GP record": the headings the patient's level shows, with current medicines and allergies,
 * as `presenter` shows them (an HTML fragment, an API body); kept in the record view cache.
 */
export async function ownRecordSummary<T>(
  ctx: Ctx,
  actor: Actor | null,
  presenter: Presenter<RecordSummary, T>,
): Promise<T> {
  const own = await ownRecordAccess(ctx, actor);
  const { me, access } = own;
  const view = await cachedView(ctx.db, viewOf(own, 'summary'), presenter, async () => {
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
    return {
      access,
      sections: SECTION_ORDER.filter((s) => kinds.has(s.kind)),
      medicines: entries.filter((e) => e.details.kind === 'medication' && e.details.status === 'current'),
      allergies: entries.filter((e) => e.kind === 'allergy'),
    };
  });
  await auditView(ctx, actor as Actor, me, 'record:summary');
  return view;
}

export type SectionPage = {
  section: (typeof SECTION_ORDER)[number];
  entries: VisibleEntry[];
  children: Map<string, VisibleEntry[]>;
  page: number;
  more: boolean;
};

/**
 * One heading of the record, newest first, a page at a time, as `presenter` shows it; kept in the
 * record view cache. Consultations come with their coded entries.
 */
export async function ownRecordSection<T>(
  ctx: Ctx,
  actor: Actor | null,
  slug: string,
  page: number,
  presenter: Presenter<SectionPage, T>,
): Promise<T> {
  const own = await ownRecordAccess(ctx, actor);
  const { me, access } = own;
  const section = SECTION_ORDER.find((s) => s.slug === slug);
  if (!section) throw new AppError('not-found', 'There is no such part of your record.');
  if (access.withheld || !kindsFor(access.level).includes(section.kind))
    throw new AppError('not-found', 'There is no such part of your record.');
  const view = await cachedView(ctx.db, viewOf(own, `${section.slug}:${String(page)}`), presenter, () =>
    loadSection(ctx, me, access, section, page),
  );
  await auditView(ctx, actor as Actor, me, `record:${section.slug}:page-${String(page + 1)}`);
  return view;
}

async function loadSection(
  ctx: Ctx,
  me: Me,
  access: RecordAccess,
  section: (typeof SECTION_ORDER)[number],
  page: number,
): Promise<SectionPage> {
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
