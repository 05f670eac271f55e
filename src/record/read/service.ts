// Use cases of the patient's own record: the summary, a heading a page at a time, the whole
// visible record. Every read is audited; every view is made through the one access rule.
import type { Actor } from '../../platform/auth/actor.ts';
import { auditAlone } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { EntryKind, RecordAccess, RecordEntry } from '../model.ts';
import { accessPlan, kindsFor, visibleRecord, type VisibleEntry } from '../access/rules.ts';
import { ownRecordAccess, type OwnAccess } from '../access/service.ts';
import * as entries from '../store.ts';
import type { PatientAt } from '../store.ts';
import { noSuchPage, SECTION_ORDER, type RecordSummary, type Section, type SectionPage } from './present.ts';
import * as store from './store.ts';
import { cachedView, type Presenter, type ViewOf } from './view-cache.ts';

/** Entries a page: a screenful a person reads; consultations carry their coded entries, so fewer. */
export const PAGE_SIZE = 25;
export const CONSULTATIONS_PAGE_SIZE = 10;

/** The cache identity of one view of the patient's own record (see view-cache.ts). */
function viewOf(own: OwnAccess, view: string): ViewOf {
  const { me, access, version } = own;
  return { practiceOds: me.practiceOds, patientId: me.patientId, version, access, view };
}

/** Visible entries of some headings, a page at a time; consultations the entries point at are checked too. */
export async function visiblePage(
  db: Db,
  of: PatientAt,
  access: RecordAccess,
  want: { kinds: readonly EntryKind[]; page: number; size: number; code?: string; summaryOnly?: boolean },
): Promise<{ entries: VisibleEntry[]; more: boolean; rows: RecordEntry[] }> {
  const { page, size } = want;
  const { entries: candidates, consultations } = await store.visibleCandidates(db, of, accessPlan(access), {
    kinds: want.kinds,
    limit: size + 1,
    offset: page * size,
    code: want.code,
    summaryOnly: want.summaryOnly ?? false,
  });
  const more = candidates.length > size;
  const pageRows = candidates.slice(0, size);
  // Each entry's consultation came with it (flags and dates), so the rule judges them together.
  const onPage = new Set(pageRows.map((e) => e.id));
  const related = consultations.filter((c) => !onPage.has(c.id));
  const visible = visibleRecord([...related, ...pageRows], access);
  const wanted = new Set(pageRows.map((e) => e.id));
  return { entries: visible.filter((e) => wanted.has(e.id)), more, rows: pageRows };
}

/** The audit row of a patient reading part of their own record. */
export async function auditView(
  ctx: Ctx,
  who: { actor: Actor; me: PatientAt },
  subject: string,
): Promise<void> {
  await auditAlone(ctx, who.actor, {
    action: 'record.view',
    practiceOds: who.me.practiceOds,
    patientId: who.me.patientId,
    subject,
  });
}

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
    const { entries: shown } = await visiblePage(ctx.db, me, access, {
      kinds: ['medication', 'allergy'],
      page: 0,
      size: 200,
      summaryOnly: true,
    });
    return {
      access,
      sections: SECTION_ORDER.filter((s) => kinds.has(s.kind)),
      medicines: shown.filter((e) => e.details.kind === 'medication' && e.details.status === 'current'),
      allergies: shown.filter((e) => e.kind === 'allergy'),
    };
  });
  await auditView(ctx, own, 'record:summary');
  return view;
}

/**
 * One heading of the record, newest first, a page at a time, as `presenter` shows it; kept in the
 * record view cache. Consultations come with their coded entries.
 */
export async function ownRecordSection<T>(
  ctx: Ctx,
  actor: Actor | null,
  at: { slug: string; page: number },
  presenter: Presenter<SectionPage, T>,
): Promise<T> {
  const own = await ownRecordAccess(ctx, actor);
  const { access } = own;
  const { page } = at;
  const section = SECTION_ORDER.find((s) => s.slug === at.slug);
  if (!section) throw new AppError('not-found', 'There is no such part of your record.');
  if (access.withheld || !kindsFor(access.level).includes(section.kind))
    throw new AppError('not-found', 'There is no such part of your record.');
  const view = await cachedView(ctx.db, viewOf(own, `${section.slug}:${String(page)}`), presenter, () =>
    loadSection(ctx, own, section, page),
  );
  await auditView(ctx, own, `record:${section.slug}:page-${String(page + 1)}`);
  return view;
}

async function loadSection(ctx: Ctx, own: OwnAccess, section: Section, page: number): Promise<SectionPage> {
  const { me, access } = own;
  const {
    entries: shown,
    more,
    rows,
  } = await visiblePage(ctx.db, me, access, {
    kinds: [section.kind],
    page,
    size: section.kind === 'consultation' ? CONSULTATIONS_PAGE_SIZE : PAGE_SIZE,
  });
  // Page 1 of an empty heading says so; a later page with nothing on it is past the end.
  if (page > 0 && rows.length === 0) throw noSuchPage(page + 1);
  const children = new Map<string, VisibleEntry[]>();
  if (section.kind === 'consultation' && shown.length) {
    const ids = shown.map((e) => e.id);
    const inThem = await entries.entriesInConsultations(ctx.db, me, ids);
    // The page's consultations go through the rule with their entries, so each entry is judged with its consultation.
    for (const e of visibleRecord([...rows, ...inThem], access)) {
      if (e.consultationId === null || e.kind === 'consultation') continue;
      const list = children.get(e.consultationId) ?? [];
      list.push(e);
      children.set(e.consultationId, list);
    }
  }
  return { section, entries: shown, children, page, more };
}

/** Every entry the patient's level could show: what the rule then filters for exports and the API. */
export async function ownCandidates(ctx: Ctx, own: OwnAccess): Promise<RecordEntry[]> {
  const { me, access } = own;
  return entries.allEntries(ctx.db, me, access.withheld ? [] : kindsFor(access.level));
}

/** The whole visible record (JSON API and exports). */
export async function ownRecordAll(
  ctx: Ctx,
  actor: Actor | null,
): Promise<{ access: RecordAccess; entries: VisibleEntry[] }> {
  const own = await ownRecordAccess(ctx, actor);
  const shown = visibleRecord(await ownCandidates(ctx, own), own.access);
  await auditView(ctx, own, 'record:all');
  return { access: own.access, entries: shown };
}
