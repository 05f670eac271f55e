// `gp-online import-pomi`: files one after another, each all or nothing, with a progress bar.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Ctx } from '../../platform/context.ts';
import { csvRows } from '../../platform/csv.ts';
import { isPomiHeader } from './rules.ts';
import { importPomi, type PomiImportSummary } from './service.ts';

export async function importPomiFiles(ctx: Ctx, files: readonly string[]): Promise<PomiImportSummary[]> {
  const done: PomiImportSummary[] = [];
  for (const file of files) {
    const bar = new SingleBar(
      {
        format: `${basename(file)} [{bar}] {percentage}% | {value} of {total} practice-months`,
        stream: process.stderr,
      },
      Presets.shades_classic,
    );
    const state = { started: false };
    try {
      done.push(
        await importPomi(ctx, { kind: 'system' }, readFileSync(file, 'utf8'), {
          fileName: basename(file),
          onProgress: (n, total) => {
            if (!state.started) bar.start(total, 0);
            state.started = true;
            bar.update(n);
          },
        }),
      );
    } finally {
      if (state.started) bar.stop();
    }
  }
  return done;
}

/**
 * `gp-online demo --pomi <folder>`: every POMI file in the folder, by name, each all or nothing;
 * other CSV files there (lookups, other publications) are named and left alone.
 */
export async function importPomiFolder(ctx: Ctx, dir: string): Promise<PomiImportSummary[]> {
  const files: string[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.toLowerCase().endsWith('.csv'))
    .sort()) {
    const path = join(dir, name);
    const firstLine = readFileSync(path, 'utf8').split(/\r?\n/, 1)[0] ?? '';
    if (isPomiHeader(csvRows(firstLine)[0]?.cells ?? [])) files.push(path);
    else console.error(`${name}: not a POMI file of either layout, left out`);
  }
  return importPomiFiles(ctx, files);
}
