import assert from 'node:assert/strict';
import { test } from 'node:test';
import { weakPasswordProblem } from './password-strength.ts';

test('HAZ-12 weak passwords: common and breached-style passwords are refused, saying why', async () => {
  for (const p of ['password1234', 'iloveyou12345', 'qwertyuiop123', 'Winter2026!'])
    assert.ok(await weakPasswordProblem(p), `${p} accepted`);
  assert.match((await weakPasswordProblem('password1234')) ?? '', /too common/);
  assert.match((await weakPasswordProblem('jo.smith12345', ['jo.smith@example.com'])) ?? '', /email address/);
});

test('long phrases pass', async () => {
  assert.equal(await weakPasswordProblem('correct horse battery staple'), null);
  assert.equal(await weakPasswordProblem('marble tiger kettle sunrise'), null);
  assert.equal(await weakPasswordProblem('x'.repeat(5) + ' a very long phrase '.repeat(20)), null);
});
