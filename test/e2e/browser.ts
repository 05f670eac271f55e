// Browser-test helper: Debian's Chromium through playwright-core (never a downloaded browser),
// with axe-core run on every page and a watch on requests leaving the test server and on CSP
// complaints in the console.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

export function chromiumInstalled(): boolean {
  return existsSync(chromiumPath);
}

export type Session = {
  context: BrowserContext;
  page: Page;
  /** Problems seen so far: requests leaving the server, failed requests, CSP console errors. */
  problems: string[];
  /** Every URL that was checked with axe. */
  checked: string[];
  close: () => Promise<void>;
};

/** A fresh persistent context (its own profile folder) that only talks to `origin`. */
export async function openSession(origin: string): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'gpo-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const problems: string[] = [];
  const checked: string[] = [];
  const watch = (page: Page): void => {
    page.on('request', (req) => {
      const url = req.url();
      if (
        !url.startsWith(`${origin}/`) &&
        url !== origin &&
        !url.startsWith('data:') &&
        url !== 'about:blank'
      )
        problems.push(`request left the server: ${req.method()} ${url}`);
    });
    page.on('requestfailed', (req) => {
      problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText ?? '?'})`);
    });
    page.on('console', (msg) => {
      const text = msg.text();
      if (/content security policy|content-security-policy|refused to/i.test(text))
        problems.push(`CSP console ${msg.type()}: ${text}`);
      else if (msg.type() === 'error') problems.push(`console error: ${text}`);
    });
    page.on('pageerror', (err) => {
      problems.push(`page error: ${err.message}`);
    });
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    problems,
    checked,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Runs axe on the current page and fails with each violation's id, help and target nodes. */
export async function check(session: Session, page: Page = session.page): Promise<void> {
  await page.waitForLoadState('load');
  const url = page.url();
  const result = await new AxeBuilder({ page }).analyze();
  session.checked.push(url);
  const report = result.violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n    ${v.helpUrl}\n` +
        v.nodes.map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n'),
    )
    .join('\n');
  assert.equal(result.violations.length, 0, `axe violations on ${url}:\n${report}`);
  const summary = page.locator('.nhsuk-error-summary');
  const shown = (await summary.count())
    ? ((await summary.first().textContent()) ?? '').replace(/\s+/g, ' ')
    : '';
  assert.deepEqual(session.problems, [], `browser problems by ${url} ${shown}`);
}

/** Goes to `path` on the server, checks the response, then runs `check`. */
export async function visit(session: Session, origin: string, path: string): Promise<void> {
  const res = await session.page.goto(`${origin}${path}`);
  assert.ok(res, `no response for ${path}`);
  assert.ok(res.status() < 400, `${path} answered ${String(res.status())}`);
  await check(session);
}

/**
 * Clicks something whose answer is an error page (a form with a mistake, a refused sign-in): the
 * page must answer `status`, and Chromium's console line about that status is expected, not a
 * problem; then `check` runs as for any page.
 */
export async function submitRefused(
  session: Session,
  action: () => Promise<void>,
  status = 400,
): Promise<void> {
  const { page } = session;
  const line = `status of ${String(status)}`;
  const logged = page
    .waitForEvent('console', { predicate: (m) => m.text().includes(line), timeout: 5000 })
    .catch(() => undefined);
  const [response] = await Promise.all([
    // The page's own answer, after any redirect on the way.
    page.waitForResponse(
      (r) =>
        r.request().isNavigationRequest() &&
        r.request().frame() === page.mainFrame() &&
        (r.status() < 300 || r.status() >= 400),
    ),
    action(),
  ]);
  assert.equal(response.status(), status, `${response.url()} answers ${String(status)}`);
  await page.waitForLoadState('load');
  await logged;
  const i = session.problems.findIndex((m) => m.includes(line));
  assert.ok(i >= 0, `Chromium logged the ${String(status)} answer`);
  session.problems.splice(i, 1);
  await check(session);
}

/** Clicks something that navigates, waits for the new page, then runs `check`. */
export async function submit(session: Session, action: () => Promise<void>): Promise<void> {
  const { page } = session;
  await Promise.all([page.waitForEvent('framenavigated', (f) => f === page.mainFrame()), action()]);
  await page.waitForLoadState('load');
  await check(session);
}
