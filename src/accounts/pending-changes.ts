// What is half-done on an account and must not outlive a reset, a password change, signing out
// of other devices, or staff being disabled or having their authenticator reset: reset links,
// changes of address waiting for their link, and a new authenticator waiting for its first code.
import type { Tx } from '../platform/db/index.ts';
import type { PrincipalType } from '../platform/db/schema.ts';
import * as store from './self-service-store.ts';

export async function voidPendingAccountChanges(
  tx: Tx,
  type: PrincipalType,
  id: string,
  now: Date,
): Promise<void> {
  const owner = { principal_type: type, principal_id: id };
  await store.endLinks(tx, 'password_resets', owner, now);
  await store.endLinks(tx, 'email_changes', owner, now);
  await store.clearPendingTotp(tx, type, id);
}
