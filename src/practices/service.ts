// Practices: add one, list them, or load the national ODS epraccur list.
import type { Actor } from '../platform/auth/actor.ts';
import { SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import { assertCan, definePermissions } from '../platform/auth/permissions.ts';
import { audit } from '../platform/audit/use-case.ts';
import { AppError } from '../platform/http/errors.ts';
import { isOdsCode, parseEpraccur, type PracticeRecord } from './rules.ts';
import type { Ctx } from '../platform/context.ts';
import * as store from './store.ts';

export const permissions = definePermissions({
  managePractices: { staff: ['admin'], ownPractice: false },
  listPractices: { staff: ['admin', 'commissioner', 'facilitator'], ownPractice: false },
});

type Caller = Actor | null | { kind: 'system' };

/** Inserts or updates practices by ODS code, in batches, inside one transaction. */
async function upsert(
  ctx: Ctx,
  caller: Caller,
  practices: PracticeRecord[],
  event: { action: string; details: Record<string, unknown> },
): Promise<{ inserted: number; updated: number }> {
  const now = ctx.clock.now();
  const who = caller?.kind === 'system' ? SYSTEM_ACTOR : caller;
  return ctx.db.transaction().execute(async (tx) => {
    let inserted = 0;
    for (let i = 0; i < practices.length; i += 500) {
      const batch = practices.slice(i, i + 500);
      inserted += await store.upsertPractices(tx, batch, now);
    }
    const updated = practices.length - inserted;
    await audit(tx, ctx, who, {
      action: event.action,
      practiceOds: null,
      details: { ...event.details, inserted, updated },
    });
    return { inserted, updated };
  });
}

export async function addPractice(ctx: Ctx, caller: Caller, p: PracticeRecord): Promise<void> {
  if (caller?.kind !== 'system') assertCan(caller, permissions.managePractices);
  const errors = [];
  if (!isOdsCode(p.odsCode))
    errors.push({
      field: 'odsCode',
      message: 'Enter an ODS code of 3 to 8 capital letters and numbers, like P81046',
    });
  if (!p.name.trim()) errors.push({ field: 'name', message: 'Enter the practice name' });
  if (errors.length) throw AppError.invalid(errors);
  await upsert(ctx, caller, [p], { action: 'practice.save', details: { odsCode: p.odsCode } });
}

export type ImportSummary = {
  practices: number;
  inserted: number;
  updated: number;
  skipped: number;
  problems: { line: number; message: string }[];
};

export async function importPractices(
  ctx: Ctx,
  caller: Caller,
  csvText: string,
  options: { gpPracticesOnly?: boolean } = {},
): Promise<ImportSummary> {
  if (caller?.kind !== 'system') assertCan(caller, permissions.managePractices);
  let parsed: ReturnType<typeof parseEpraccur>;
  try {
    parsed = parseEpraccur(csvText, options);
  } catch (err) {
    // The parser refuses whole files it cannot read (for example one with a header row).
    throw AppError.invalid([
      { field: 'file', message: err instanceof Error ? err.message : 'The file could not be read' },
    ]);
  }
  if (parsed.practices.length === 0) {
    throw AppError.invalid([
      {
        field: 'file',
        message: parsed.problems[0]
          ? `No practices could be read: line ${parsed.problems[0].line}: ${parsed.problems[0].message}`
          : 'The file has no practices in it',
      },
    ]);
  }
  const r = await upsert(ctx, caller, parsed.practices, {
    action: 'practice.import',
    details: { source: 'epraccur', rows: parsed.practices.length, problems: parsed.problems.length },
  });
  return { practices: parsed.practices.length, ...r, skipped: parsed.skipped, problems: parsed.problems };
}

export async function listPractices(
  ctx: Ctx,
  actor: Actor | null,
  options: { q?: string; limit?: number } = {},
) {
  assertCan(actor, permissions.listPractices);
  return store.findPractices(ctx.db, { q: options.q?.trim() || undefined, limit: options.limit ?? 100 });
}
