// `gp-online import-pomi`: files one after another, each all or nothing, with a progress bar.
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Ctx } from '../../platform/context.ts';
import { csvRows, UnreadableCsv } from '../../platform/csv.ts';
import { AppError } from '../../platform/http/errors.ts';
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
    } catch (err) {
      // Name the file: earlier files in the same run are already in.
      if (err instanceof AppError)
        throw AppError.invalid(
          err.fields,
          `${basename(file)}: ${err.message}${done.length ? ` (the ${String(done.length)} file(s) before it were imported)` : ''}`,
        );
      throw err;
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
    if (isPomiHeader(headerOf(path))) files.push(path);
    else console.error(`${name}: not a POMI file of either layout, left out`);
  }
  return importPomiFiles(ctx, files);
}

/** The first line's cells, read from the file's first 64 KiB (the published files are ~100 MB). */
function headerOf(path: string): string[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const firstLine = buf.subarray(0, n).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
    return csvRows(firstLine)[0]?.cells ?? [];
  } catch (err) {
    if (err instanceof UnreadableCsv) return [];
    throw err;
  } finally {
    closeSync(fd);
  }
}
