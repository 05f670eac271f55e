// Exactly one process may own a PGlite data folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataDirLockedError, lockDataDir } from './lock.ts';

test('a second owner of a data folder is refused with a clear error, and may take it once released', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpo-lock-'));
  try {
    const first = await lockDataDir(dir);
    await assert.rejects(
      lockDataDir(dir),
      (err: unknown) =>
        err instanceof DataDirLockedError && /in use by another GP Online process/.test(err.message),
    );
    await first.release();
    const second = await lockDataDir(dir);
    await second.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.lock`, { recursive: true, force: true });
  }
});
