// Offering histories of practices on GP Online, kept from their own settings: each change of a
// setting that decides an offering writes the dated change in the same transaction, and a daily
// check catches what changed another way (the command line, the demo, a restore).
import { SYSTEM_ACTOR } from '../../platform/auth/actor.ts';
import { audit } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { englandDay } from '../../platform/dates.ts';
import type { Tx } from '../../platform/db/index.ts';
import { forgetAllImportVersions, forgetImportVersion } from '../figures.ts';
import * as history from '../history/store.ts';
import type { NewOffering } from '../history/store.ts';
import { platformChanges } from './rules.ts';
import * as store from './store.ts';

/**
 * Writes the offering changes the practices' settings now make (all practices on GP Online when
 * `practices` is null), dated the England day of `at`. Called inside the transaction that
 * changed a setting, so the history and the setting commit together.
 */
export async function recordPlatformOfferings(
  tx: Tx,
  p: { practices: readonly string[] | null; at: Date; because: string; by: string | null },
): Promise<NewOffering[]> {
  if (p.practices) await store.lockPractices(tx, p.practices);
  let settings = await store.practiceSettings(tx, p.practices);
  if (!settings.length) return [];
  if (!p.practices) {
    // Every practice: locked once known, then read again under the locks.
    await store.lockPractices(
      tx,
      settings.map((s) => s.practiceOds),
    );
    settings = await store.practiceSettings(tx, null);
  }
  const latest = await store.latestPlatformStates(
    tx,
    settings.map((s) => s.practiceOds),
  );
  const day = englandDay(p.at);
  await store.markPresent(
    tx,
    settings.map((s) => s.practiceOds),
    day,
  );
  const changes = settings.flatMap((s) =>
    platformChanges(s, latest.get(s.practiceOds) ?? new Map(), day, p.because),
  );
  if (changes.length) {
    await history.upsertOfferings(tx, 'platform', changes, p.at, p.by);
    forgetAllImportVersions();
  }
  return changes;
}

/** The daily check of every practice on GP Online; audited when it finds a change. */
export async function checkPlatformOfferings(ctx: Ctx): Promise<{ changes: number; practices: number }> {
  const at = ctx.clock.now();
  const changes = await ctx.db.transaction().execute(async (tx) => {
    const found = await recordPlatformOfferings(tx, {
      practices: null,
      at,
      because: 'Found by the daily check of practice settings',
      by: null,
    });
    if (found.length)
      await audit(tx, ctx, SYSTEM_ACTOR, {
        action: 'programme.offerings.platform',
        practiceOds: null,
        details: {
          changes: found.length,
          ...(found.length <= 20
            ? { entries: found.map((c) => [c.practiceOds, c.service, c.offered, c.effectiveOn]) }
            : {}),
        },
      });
    return found;
  });
  if (changes.length) forgetImportVersion(ctx.db);
  return { changes: changes.length, practices: new Set(changes.map((c) => c.practiceOds)).size };
}
