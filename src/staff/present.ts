// View models of the staff administration pages: plain labels, links and messages, no HTML.
import type { StaffActor } from '../platform/auth/actor.ts';
import type { StaffUserRow } from './store.ts';
import { actionsFor, roleLabel, statusText } from './rules.ts';

/** Where this actor manages staff: administrators every account, a practice manager their team. */
export function usersBase(actor: StaffActor | null): string {
  return actor?.role === 'admin' ? '/admin/users' : '/staff/team';
}

export function usersTitle(actor: StaffActor | null): string {
  return actor?.role === 'admin' ? 'Staff users' : 'Your team';
}

export function userRows(users: StaffUserRow[], base: string) {
  return users.map((u) => ({
    id: u.id,
    href: `${base}/${u.id}`,
    name: u.name,
    email: u.email,
    role: roleLabel(u.role),
    practice: u.practice_ods ?? '',
    status: statusText(u),
  }));
}

const DONE: Record<string, (name: string) => string> = {
  disable: (n) => `${n}’s account is disabled. They have been signed out and cannot sign in.`,
  enable: (n) => `${n}’s account is active again. They can sign in.`,
  unlock: (n) => `${n}’s account is unlocked. They can sign in again.`,
  'reset-authenticator': (n) =>
    `${n}’s authenticator app is reset. They have been signed out and will set up a new one when they next sign in.`,
};

export function userPage(
  view: { user: StaffUserRow; refusal: string | null; self: boolean },
  o: { base: string; done?: string | undefined },
) {
  const u = view.user;
  const actions = actionsFor(u);
  const flash = o.done && o.done in DONE ? DONE[o.done]?.(u.name) : undefined;
  return {
    title: u.name,
    backHref: o.base,
    flash,
    href: `${o.base}/${u.id}`,
    refusal: view.self ? null : view.refusal,
    self: view.self,
    actions: view.refusal ? null : actions,
    rows: [
      { key: { text: 'Name' }, value: { text: u.name } },
      { key: { text: 'Email address' }, value: { text: u.email } },
      { key: { text: 'Role' }, value: { text: roleLabel(u.role) } },
      { key: { text: 'Practice' }, value: { text: u.practice_ods ?? 'None (not tied to one practice)' } },
      { key: { text: 'Status' }, value: { text: statusText(u) } },
    ],
  };
}

/** The confirmation page of a destructive action: what will happen, in plain words. */
export function confirmPage(
  user: StaffUserRow,
  o: { base: string; action: 'disable' | 'reset-authenticator' },
) {
  const href = `${o.base}/${user.id}`;
  if (o.action === 'disable')
    return {
      title: `Disable ${user.name}’s account?`,
      explain: [
        'They will be signed out at once, on every device, and their API tokens will stop working.',
        'They cannot sign in until the account is re-enabled.',
      ],
      action: `${href}/disable`,
      buttonText: 'Disable account',
      backHref: href,
    };
  return {
    title: `Reset ${user.name}’s authenticator app?`,
    explain: [
      'Their current authenticator app will stop working and they will be signed out at once.',
      'Next time they sign in with their password, they will set up a new authenticator app and confirm it with a code from it. You will not see the new key.',
      'Only do this when you are sure who is asking, for example in person or by calling them back.',
    ],
    action: `${href}/reset-authenticator`,
    buttonText: 'Reset authenticator app',
    backHref: href,
  };
}
