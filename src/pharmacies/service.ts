// Pharmacies: loading the ODS list, searching it, and a patient seeing and changing their
// nominated pharmacy (the practice's pharmacy_view / pharmacy_update switches decide).
import { canUse, settingsFor } from '../accounts/index.ts';
import type { Actor, PatientActor } from '../platform/auth/actor.ts';
import { SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import { assertCan } from '../platform/auth/permissions.ts';
import { audit, auditAlone, auditedChange } from '../platform/audit/use-case.ts';
import type { Ctx } from '../platform/context.ts';
import { englandDay } from '../platform/dates.ts';
import { AppError } from '../platform/http/errors.ts';
import { permissions } from './permissions.ts';
import {
  isOdsCode,
  MAX_SEARCH,
  nominationProblem,
  parseEdispensary,
  searchTerm,
  UnreadableCsv,
  type PharmacyRecord,
  type RowProblem,
} from './rules.ts';
import * as store from './store.ts';

type Caller = Actor | null | { kind: 'system' };

export type ImportSummary = { pharmacies: number; inserted: number; updated: number; problems: RowProblem[] };

/** How many problems a refused file names (the CLI prints them; an API would list them). */
const PROBLEMS_NAMED = 20;

/**
 * Loads an edispensary.csv. A file with any bad row is refused whole (nothing written), naming
 * the lines, unless `skipBadRows`: then the good rows are loaded and the bad ones reported.
 */
export async function importPharmacies(
  ctx: Ctx,
  caller: Caller,
  csvText: string,
  options: { skipBadRows?: boolean } = {},
): Promise<ImportSummary> {
  if (caller?.kind !== 'system') assertCan(caller, permissions.managePharmacies);
  let parsed: ReturnType<typeof parseEdispensary>;
  try {
    parsed = parseEdispensary(csvText);
  } catch (err) {
    if (!(err instanceof UnreadableCsv)) throw err;
    throw AppError.invalid([{ field: `line ${String(err.problem.line)}`, message: err.problem.message }]);
  }
  const { pharmacies, problems } = parsed;
  const refuse = (problems.length > 0 && !options.skipBadRows) || pharmacies.length === 0;
  if (refuse) {
    const named = problems
      .slice(0, PROBLEMS_NAMED)
      .map((p) => ({ field: `line ${String(p.line)}`, message: p.message }));
    throw AppError.invalid(
      named.length ? named : [{ field: 'file', message: 'The file has no pharmacies in it' }],
      problems.length
        ? `Nothing was loaded: ${String(problems.length)} bad rows (load the rest with --skip-bad-rows)`
        : 'The file has no pharmacies in it',
    );
  }
  const now = ctx.clock.now();
  const who = caller?.kind === 'system' ? SYSTEM_ACTOR : caller;
  const inserted = await ctx.db.transaction().execute(async (tx) => {
    let n = 0;
    for (let i = 0; i < pharmacies.length; i += 500)
      n += await store.upsertPharmacies(tx, pharmacies.slice(i, i + 500), now);
    await audit(tx, ctx, who, {
      action: 'pharmacy.import',
      practiceOds: null,
      details: { source: 'edispensary', rows: pharmacies.length, inserted: n, problems: problems.length },
    });
    return n;
  });
  return { pharmacies: pharmacies.length, inserted, updated: pharmacies.length - inserted, problems };
}

/** Adds or updates pharmacies already read (the demo list); audited as one import. */
export async function savePharmacies(ctx: Ctx, list: readonly PharmacyRecord[]): Promise<number> {
  return auditedChange(
    ctx,
    SYSTEM_ACTOR,
    (inserted: number) => ({
      action: 'pharmacy.import',
      practiceOds: null,
      details: { source: 'demo', inserted },
    }),
    (tx) => store.upsertPharmacies(tx, [...list], ctx.clock.now()),
  );
}

// --- The patient's nomination ------------------------------------------------------------------

export type Nominator = { actor: PatientActor; practiceOds: string; patientId: string; canChange: boolean };

/** The linked patient, if their practice lets them see (or, with `change`, change) their pharmacy. */
async function nominator(ctx: Ctx, actor: Actor | null, need: 'see' | 'change'): Promise<Nominator> {
  assertCan(actor, permissions.nominateOwn);
  if (actor?.kind !== 'patient') throw new AppError('forbidden', 'This is for patients.');
  const { patientId, practiceOds } = actor;
  if (!patientId || !practiceOds)
    throw new AppError('forbidden', 'Link your account to your GP practice first.', { reason: 'not-linked' });
  const { settings } = await settingsFor(ctx.db, practiceOds, patientId);
  const account = { linked: true, proofingLevel: actor.proofingLevel };
  const canSee = canUse(account, settings, 'pharmacy-view');
  const canChange = canUse(account, settings, 'pharmacy-update');
  if (need === 'see' ? !canSee : !canChange) {
    await auditAlone(ctx, actor, {
      action: need === 'see' ? 'pharmacy.nomination.view' : 'pharmacy.nomination.change',
      outcome: 'denied',
      patientId,
      details: { reason: 'pharmacy-off' },
    });
    throw new AppError(
      'forbidden',
      need === 'see'
        ? 'Your GP practice has not switched on seeing your nominated pharmacy online for you.'
        : 'Your GP practice has not switched on changing your nominated pharmacy online for you.',
      { reason: need === 'see' ? 'pharmacy-view-off' : 'pharmacy-update-off' },
    );
  }
  return { actor, practiceOds, patientId, canChange };
}

/** The patient's nominated pharmacy, its history, and whether they may change it online. */
export async function myNomination(ctx: Ctx, actor: Actor | null) {
  const n = await nominator(ctx, actor, 'see');
  const [current, history] = await Promise.all([
    store.nominationOf(ctx.db, n),
    store.nominationHistory(ctx.db, n, 20),
  ]);
  await auditAlone(ctx, n.actor, {
    action: 'pharmacy.nomination.view',
    patientId: n.patientId,
    subject: current ? `pharmacy:${current.ods_code}` : null,
  });
  // A nominated pharmacy that has since closed is said, so the patient can choose another.
  const closed = current
    ? nominationProblem(
        { status: current.status, openDate: current.open_date, closeDate: current.close_date },
        englandDay(ctx.clock.now()),
      )
    : null;
  return { current: current ?? null, history, canChange: n.canChange, closed };
}

export type SearchAnswer = { problem: string; results: [] } | { problem: null; results: store.PharmacyRow[] };

/** Open pharmacies by name, postcode or ODS code, for a patient who may change theirs. */
export async function findPharmacies(
  ctx: Ctx,
  actor: Actor | null,
  q: string | undefined,
  limit = 20,
): Promise<SearchAnswer> {
  await nominator(ctx, actor, 'change');
  // No search yet (the page's first visit): only whether the patient may search.
  if (q === undefined) return { problem: null, results: [] };
  const term = searchTerm(q);
  if (term.kind === 'empty')
    return { problem: 'Enter a pharmacy name, a postcode or an ODS code', results: [] };
  if (term.kind === 'too-long')
    return { problem: `Enter ${String(MAX_SEARCH)} characters or fewer`, results: [] };
  const results = await store.searchPharmacies(ctx.db, term, { today: englandDay(ctx.clock.now()), limit });
  return { problem: null, results };
}

/** A pharmacy the patient may choose, or a not-found / invalid refusal naming why not. */
export async function choosablePharmacy(ctx: Ctx, actor: Actor | null, odsCode: string) {
  await nominator(ctx, actor, 'change');
  return choosable(ctx, odsCode);
}

async function choosable(ctx: Ctx, raw: string): Promise<store.PharmacyRow> {
  const code = raw.trim().toUpperCase();
  if (!isOdsCode(code))
    throw AppError.invalid([{ field: 'ods_code', message: 'Enter the ODS code of a pharmacy, like FA123' }]);
  const p = await store.pharmacyByCode(ctx.db, code);
  if (!p)
    throw new AppError('not-found', `There is no pharmacy with the ODS code ${code}.`, {
      reason: 'no-such-pharmacy',
    });
  const problem = nominationProblem(
    { status: p.status, openDate: p.open_date, closeDate: p.close_date },
    englandDay(ctx.clock.now()),
  );
  if (problem) throw AppError.invalid([{ field: 'ods_code', message: problem }]);
  return p;
}

/**
 * Nominates the pharmacy: the nomination and its history row and audit commit together; the
 * patient's row is locked first so two changes at once each see the other's result.
 */
export async function nominate(ctx: Ctx, actor: Actor | null, odsCode: string) {
  const n = await nominator(ctx, actor, 'change');
  const pharmacy = await choosable(ctx, odsCode);
  return auditedChange(
    ctx,
    n.actor,
    (r: { previous: string | null; changed: boolean }) => ({
      action: 'pharmacy.nomination.change',
      patientId: n.patientId,
      subject: `pharmacy:${pharmacy.ods_code}`,
      details: { previous: r.previous, changed: r.changed },
    }),
    async (tx) => {
      if (!(await store.lockPatient(tx, n.patientId)))
        throw new AppError('not-found', 'There is no such patient.');
      const before = await store.currentNomination(tx, n.patientId);
      const previous = before && before.practice_ods === n.practiceOds ? before.pharmacy_ods : null;
      // Choosing the pharmacy already nominated changes nothing and adds no history.
      const changed = previous !== pharmacy.ods_code;
      if (changed)
        await store.saveNomination(tx, {
          practiceOds: n.practiceOds,
          patientId: n.patientId,
          pharmacyOds: pharmacy.ods_code,
          previousOds: previous,
          accountId: n.actor.accountId,
          at: ctx.clock.now(),
        });
      const current = await store.nominationOf(tx, n);
      if (!current) throw new Error('the nomination just saved is missing');
      return { previous, changed, current, canChange: n.canChange };
    },
  );
}

/**
 * The signed-in patient's nominated pharmacy for their record's FHIR export: null when none, or
 * when their practice has not switched on seeing it online. Not audited here: the export is.
 */
export async function nominatedPharmacyForExport(
  ctx: Ctx,
  actor: Actor | null,
): Promise<{ odsCode: string; name: string } | null> {
  if (actor?.kind !== 'patient' || !actor.patientId || !actor.practiceOds) return null;
  const who = { practiceOds: actor.practiceOds, patientId: actor.patientId };
  const { settings } = await settingsFor(ctx.db, who.practiceOds, who.patientId);
  if (!canUse({ linked: true, proofingLevel: actor.proofingLevel }, settings, 'pharmacy-view')) return null;
  return store.nominatedPharmacyCode(ctx.db, who);
}
