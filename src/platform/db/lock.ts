// Exactly one process may own a PGlite data folder: two writers silently lose rows.
import lockfile from 'proper-lockfile';

export type DataDirLock = { release: () => Promise<void> };

export class DataDirLockedError extends Error {}

export async function lockDataDir(dir: string): Promise<DataDirLock> {
  try {
    const release = await lockfile.lock(dir, { lockfilePath: `${dir}.lock`, stale: 15_000, update: 5_000 });
    return { release: () => release().catch(() => undefined) };
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') {
      throw new DataDirLockedError(
        `The data folder ${dir} is in use by another GP Online process. ` +
          'Stop that process first, or set DATABASE_URL to share a PostgreSQL server between processes.',
      );
    }
    throw err;
  }
}
