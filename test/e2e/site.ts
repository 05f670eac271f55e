// The site every browser journey runs against: a test app with the demo data on a free port,
// started before the file's tests and closed after them with the browser sessions it opened.
// Without Chromium a journey is skipped, except in CI, where that is a failure.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, type TestContext } from 'node:test';
import { inCi, testApp, type TestApp } from '../support/harness.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { DEMO_PASSWORD } from '../../src/demo/data.ts';
import { totpCode } from '../../src/platform/auth/secrets.ts';
import { chromiumInstalled, chromiumPath, openSession, submit, visit, type Session } from './browser.ts';

export type DemoSite = {
  origin: string;
  /** The running app, or null when Chromium is missing (the test is then skipped, or fails in CI). */
  ready: (tc: TestContext) => TestApp | null;
  /** A fresh browser session, closed after the file's tests. */
  open: () => Promise<Session>;
  /** Signs in through the real pages (demo password, then the current security code), checking each page. */
  signIn: (s: Session, path: string, email: string, totpSecret: string) => Promise<void>;
};

export function demoSite(): DemoSite {
  const installed = chromiumInstalled();
  const sessions: Session[] = [];
  let t: TestApp | undefined;
  const site: DemoSite = {
    origin: '',
    ready: (tc) => {
      if (!installed) {
        if (inCi) assert.fail(`chromium not installed at ${chromiumPath}: apt-get install chromium`);
        tc.skip('chromium not installed: apt-get install chromium');
        return null;
      }
      assert.ok(t);
      return t;
    },
    open: async () => {
      const s = await openSession(site.origin);
      sessions.push(s);
      return s;
    },
    signIn: async (s, path, email, totpSecret) => {
      const { page } = s;
      await visit(s, site.origin, path);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await submit(s, () => page.getByRole('button', { name: 'Continue' }).click());
      await page.getByLabel('Security code').fill(totpCode(totpSecret, new Date()));
      await submit(s, () => page.getByRole('button', { name: 'Sign in' }).click());
      assert.doesNotMatch(page.url(), /sign-in/);
    },
  };
  before(async () => {
    if (!installed) return;
    t = await testApp();
    await loadDemo(t.db.db, t.clock);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    site.origin = `http://127.0.0.1:${String((t.app.server.address() as AddressInfo).port)}`;
  });
  after(async () => {
    for (const s of sessions) await s.close();
    await t?.close();
  });
  return site;
}
