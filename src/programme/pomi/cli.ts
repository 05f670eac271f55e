// `gp-online import-pomi`: files one after another, each all or nothing, with a progress bar.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Ctx } from '../../platform/context.ts';
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
