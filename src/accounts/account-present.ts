// The account page as a summary list: one row per thing about the account, each with the action
// that changes it. Text only; the template renders it with the nhsuk summary list.
import { formatDate } from '../platform/views/filters.ts';
import { recoveryCodesText, sessionsText, type AccountOverview } from './account-rules.ts';

export type SummaryRow = {
  key: { text: string };
  value: { text: string };
  actions?: { items: { href: string; text: string; visuallyHiddenText: string }[] };
};

const action = (href: string, text: string, hidden: string) => ({
  items: [{ href, text, visuallyHiddenText: hidden }],
});

export function accountRows(o: AccountOverview, base: string): SummaryRow[] {
  const rows: SummaryRow[] = [
    {
      key: { text: 'Email address' },
      value: { text: o.email },
      actions: action(`${base}/email`, 'Change', 'email address'),
    },
    {
      key: { text: 'Password' },
      value: {
        text: o.passwordChangedAt ? `Last changed on ${formatDate(o.passwordChangedAt)}` : 'Set',
      },
      actions: action(`${base}/password`, 'Change', 'password'),
    },
    {
      key: { text: 'Authenticator app' },
      value: { text: o.authenticatorSetUp ? 'Set up' : 'Not set up' },
      actions: action(`${base}/authenticator`, 'Replace', 'authenticator app'),
    },
  ];
  if (o.recoveryCodesLeft !== null)
    rows.push({
      key: { text: 'Recovery codes' },
      value: { text: recoveryCodesText(o.recoveryCodesLeft) },
      actions: action(`${base}/recovery-codes`, 'Get new codes', 'recovery codes'),
    });
  rows.push({ key: { text: 'Signed in on' }, value: { text: sessionsText(o.sessions) } });
  return rows;
}
