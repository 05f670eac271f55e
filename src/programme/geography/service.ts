// Importing practice geography (map, list sizes, IMD): all of a file or none, by administrators
// and the command line; idempotent per practice.
import type { Actor } from '../../platform/auth/actor.ts';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.ts';
import { assertStaff } from '../../platform/auth/permissions.ts';
import { audit } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { refuseFile, UnreadableCsv } from '../../platform/csv.ts';
import { forgetImportVersion } from '../figures.ts';
import { permissions } from '../permissions.ts';
import { parseGeography, type GeographyFile, type GeographyKind } from './rules.ts';
import { upsertAreas } from '../pomi/store.ts';
import * as store from './store.ts';

type Caller = Actor | null | { kind: 'system' };

export type GeographySummary = {
  kind: GeographyKind;
  practices: number;
  names: number;
  on: string | null;
};

export async function importGeography(
  ctx: Ctx,
  caller: Caller,
  text: string,
  options: { fileName: string; kind: GeographyKind },
): Promise<GeographySummary> {
  const staff = caller?.kind === 'system' ? null : assertStaff(caller, permissions.importGeography);
  let file: GeographyFile;
  try {
    file = parseGeography(text, options.kind);
  } catch (err) {
    if (!(err instanceof UnreadableCsv)) throw err;
    refuseFile([err.problem]);
  }
  if (file.problems.length) refuseFile(file.problems);
  if (file.profiles.length === 0) refuseFile([{ line: 1, message: 'the file names no practices' }]);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await store.upsertProfiles(tx, file.kind, file.profiles, file, now);
    // PCNs are the map's own. The other levels POMI names too, for its own months: the map
    // (of 2020) adds those POMI does not name and renames none.
    if (file.areas.length) await upsertAreas(tx, file.areas, now, ['pcn']);
    await audit(tx, ctx, staff ?? SYSTEM_ACTOR, {
      action: 'programme.geography.import',
      practiceOds: null,
      details: {
        file: options.fileName,
        kind: file.kind,
        practices: file.profiles.length,
        names: file.areas.length,
        on: file.on,
      },
    });
  });
  forgetImportVersion(ctx.db);
  return { kind: file.kind, practices: file.profiles.length, names: file.areas.length, on: file.on };
}
