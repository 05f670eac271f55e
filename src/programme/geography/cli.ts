// The command line's geography loading: the map, list-size and IMD files found in a folder.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../../platform/context.ts';
import { practiceFileKind } from './rules.ts';
import { importGeography, type GeographySummary } from './service.ts';

/** Imports each geography file in the folder (epraccur files are left to `import-practices`). */
export async function importGeographyFolder(
  ctx: Ctx,
  dir: string,
): Promise<(GeographySummary & { file: string })[]> {
  const done: (GeographySummary & { file: string })[] = [];
  for (const file of readdirSync(dir)
    .filter((n) => n.toLowerCase().endsWith('.csv'))
    .sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const kind = practiceFileKind(text);
    if (kind === 'epraccur') continue;
    done.push({ file, ...(await importGeography(ctx, { kind: 'system' }, text, { fileName: file, kind })) });
  }
  return done;
}
