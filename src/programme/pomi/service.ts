// Importing POMI: all of a file or none of it, idempotent per practice and month.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.ts';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.ts';
import { assertStaff } from '../../platform/auth/permissions.ts';
import { audit } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { refuseFile, UnreadableCsv } from '../../platform/csv.ts';
import { forgetImportVersion } from '../figures.ts';
import { permissions } from '../permissions.ts';
import { parsePomi } from './rules.ts';
import * as store from './store.ts';

type Caller = Actor | null | { kind: 'system' };

export type PomiImportSummary = {
  format: 'long' | 'wide' | 'lookup';
  practiceMonths: number;
  inserted: number;
  updated: number;
  practices: number;
  /** Regions, sub-regions, CCGs and practices the file named. */
  names: number;
  firstMonth: string | null;
  lastMonth: string | null;
};

/** Done and total practice-months written, for a progress bar. */
export type Progress = (done: number, total: number) => void;

/** Rows a statement: one JSON parameter each, so the size is bounded by memory, not parameters. */
const BATCH = 4000;

export async function importPomi(
  ctx: Ctx,
  caller: Caller,
  csvText: string,
  options: { fileName: string; onProgress?: Progress },
): Promise<PomiImportSummary> {
  const staff = caller?.kind === 'system' ? null : assertStaff(caller, permissions.importPomi);
  let file: ReturnType<typeof parsePomi>;
  try {
    file = parsePomi(csvText);
  } catch (err) {
    if (!(err instanceof UnreadableCsv)) throw err;
    refuseFile([err.problem]);
  }
  if (file.problems.length) refuseFile(file.problems);
  const { returns, areas } = file;
  if (returns.length === 0 && areas.length === 0)
    refuseFile([{ line: 1, message: 'the file has a header but no returns' }]);
  const periods = returns.map((r) => r.periodEnd).sort();
  const firstMonth = periods[0] ?? null;
  const lastMonth = periods.at(-1) ?? null;
  const practices = [...new Set(returns.map((r) => r.practiceOds))];
  const now = ctx.clock.now();
  const importId = randomUUID();
  const inserted = await ctx.db.transaction().execute(async (tx) => {
    await store.lockImports(tx);
    await store.insertImport(tx, {
      id: importId,
      fileName: options.fileName,
      format: file.format,
      practiceMonths: returns.length,
      firstMonth,
      lastMonth,
      at: now,
      by: staff?.staffId ?? null,
    });
    let n = 0;
    for (let i = 0; i < returns.length; i += BATCH) {
      n += await store.upsertReturns(tx, returns.slice(i, i + BATCH), importId);
      options.onProgress?.(Math.min(i + BATCH, returns.length), returns.length);
    }
    await store.upsertAreas(tx, areas, now);
    if (practices.length) await store.rederiveOfferings(tx, practices, now);
    await audit(tx, ctx, staff ?? SYSTEM_ACTOR, {
      action: 'programme.pomi.import',
      practiceOds: null,
      subject: importId,
      details: {
        file: options.fileName,
        format: file.format,
        practiceMonths: returns.length,
        inserted: n,
        names: areas.length,
        firstMonth,
        lastMonth,
      },
    });
    return n;
  });
  forgetImportVersion(ctx.db);
  return {
    format: file.format,
    practiceMonths: returns.length,
    inserted,
    updated: returns.length - inserted,
    practices: practices.length,
    names: areas.length,
    firstMonth,
    lastMonth,
  };
}

/** Before an upload's body is read: only who may import may make the server hold a file. */
export function assertMayImport(actor: Actor | null): void {
  assertStaff(actor, permissions.importPomi);
}

/** The imports page: who may import sees the recent imports (file names and counts, no patients). */
export async function recentImports(ctx: Ctx, actor: Actor | null) {
  assertStaff(actor, permissions.importPomi);
  return store.recentImports(ctx.db, 50);
}
