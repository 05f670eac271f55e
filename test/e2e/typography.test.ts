// The NHS.UK font stack reaches every kind of text: body, headings, links, form fields and
// buttons. Without it (web fonts are off, as the NHS font host is not reachable) Chromium fell
// back to Times New Roman.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visit } from './browser.ts';
import { demoSite } from './site.ts';

const site = demoSite();
const NHS_STACK = /^"?Frutiger W01"?, ?arial, ?sans-serif$/i;

test('pages are set in the NHS.UK font stack (Frutiger, then Arial), never the browser serif', async (tc) => {
  if (!site.ready(tc)) return;
  const s = await site.open();
  for (const path of ['/', '/patient/sign-in']) {
    await visit(s, site.origin, path);
    // A script as text: the test is type-checked without the DOM library.
    const families = await s.page.evaluate<Record<string, string | null>>(`(() => {
      const of = (selector) => {
        const el = document.querySelector(selector);
        return el ? getComputedStyle(el).fontFamily : null;
      };
      return { body: of('body'), h1: of('h1'), p: of('main p'), link: of('main a'), input: of('input'), button: of('button') };
    })()`);
    for (const [what, family] of Object.entries(families)) {
      if (family === null) continue;
      assert.match(family, NHS_STACK, `${path}: ${what} is set in ${family}`);
    }
    assert.ok(families.body && families.h1, `${path}: has body text and a heading`);
  }
  if (s.problems.length) assert.fail(s.problems.join('\n'));
});
