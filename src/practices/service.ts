// Practices: add one, list them, or load the national ODS epraccur list.
import type { Actor } from '../platform/auth/actor.ts';
import { auditActor, SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import { assertCan, definePermissions } from '../platform/auth/permissions.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/http/errors.ts';
import { isOdsCode, parseEpraccur, type PracticeRecord } from './rules.ts';
import type { Ctx } from '../platform/context.ts';

export const permissions = definePermissions({
  managePractices: { staff: ['admin'], ownPractice: false },
  listPractices: { staff: ['admin', 'commissioner', 'facilitator'], ownPractice: false },
});

type Caller = Actor | null | { kind: 'system' };

function toRow(p: PracticeRecord, now: Date) {
  return {
    ods_code: p.odsCode,
    name: p.name,
    address_lines: p.addressLines,
    postcode: p.postcode,
    commissioner_code: p.commissionerCode,
    status: p.status,
    prescribing_setting: p.prescribingSetting,
    open_date: p.openDate,
    close_date: p.closeDate,
    phone: p.phone,
    updated_at: now,
  };
}

/** Inserts or updates practices by ODS code, in batches, inside one transaction. */
async function upsert(
  ctx: Ctx,
  caller: Caller,
  practices: PracticeRecord[],
  action: string,
  details: Record<string, unknown>,
): Promise<{ inserted: number; updated: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const existing = new Set<string>();
    let inserted = 0;
    for (let i = 0; i < practices.length; i += 500) {
      const batch = practices.slice(i, i + 500);
      const found = await tx
        .selectFrom('practices')
        .select('ods_code')
        .where(
          'ods_code',
          'in',
          batch.map((p) => p.odsCode),
        )
        .execute();
      for (const f of found) existing.add(f.ods_code);
      await tx
        .insertInto('practices')
        .values(batch.map((p) => toRow(p, now)))
        .onConflict((oc) =>
          oc.column('ods_code').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            address_lines: eb.ref('excluded.address_lines'),
            postcode: eb.ref('excluded.postcode'),
            commissioner_code: eb.ref('excluded.commissioner_code'),
            status: eb.ref('excluded.status'),
            prescribing_setting: eb.ref('excluded.prescribing_setting'),
            open_date: eb.ref('excluded.open_date'),
            close_date: eb.ref('excluded.close_date'),
            phone: eb.ref('excluded.phone'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      inserted += batch.length - found.length;
    }
    const updated = practices.length - inserted;
    await recordAudit(
      tx,
      {
        actor: caller?.kind === 'system' ? SYSTEM_ACTOR : auditActor(caller),
        action,
        outcome: 'success',
        details: { ...details, inserted, updated },
      },
      now,
    );
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
  await upsert(ctx, caller, [p], 'practice.save', { odsCode: p.odsCode });
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
  const r = await upsert(ctx, caller, parsed.practices, 'practice.import', {
    source: 'epraccur',
    rows: parsed.practices.length,
    problems: parsed.problems.length,
  });
  return { practices: parsed.practices.length, ...r, skipped: parsed.skipped, problems: parsed.problems };
}

export async function listPractices(
  ctx: Ctx,
  actor: Actor | null,
  options: { q?: string; limit?: number } = {},
) {
  assertCan(actor, permissions.listPractices);
  let q = ctx.db
    .selectFrom('practices')
    .select(['ods_code', 'name', 'postcode', 'commissioner_code', 'status']);
  if (options.q) {
    const term = options.q.trim();
    q = q.where((eb) =>
      eb.or([
        eb('ods_code', '=', term.toUpperCase()),
        eb(eb.fn('lower', ['name']), 'like', `%${term.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`),
      ]),
    );
  }
  const count = await ctx.db
    .selectFrom('practices')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy('name')
    .limit(options.limit ?? 100)
    .execute();
  return { total: Number(count.n), rows };
}
