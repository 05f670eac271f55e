// The server as an operator runs it: start on an embedded database, refuse a second process on
// the same data folder, answer requests, and on SIGTERM finish and exit cleanly.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'gpo-serve-'));
after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function start(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const env: Record<string, string | undefined> = {
    ...process.env,
    GP_ONLINE_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [main, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  return { child, output: () => out, exited };
}

async function waitFor(fn: () => string | null, ms: number): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('serve: one owner per data folder, health check, clean exit on SIGTERM that frees the folder', async () => {
  const first = start();
  try {
    const url = await waitFor(() => /running at (http:\/\/\S+)/.exec(first.output())?.[1] ?? null, 60_000);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite' });

    // No patient data in logs: requests are logged by path, never with their query string.
    await fetch(`${url}/staff/patients?q=Zebedee-Surname`);
    await waitFor(() => (/"path":"\/staff\/patients"/.test(first.output()) ? 'logged' : null), 5_000);
    assert.doesNotMatch(first.output(), /Zebedee/);

    const second = start();
    const code = await second.exited;
    assert.equal(code, 1);
    assert.match(second.output(), /in use by another GP Online process/);

    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0, first.output());
    assert.match(first.output(), /shutting down/);

    // The database was closed and the folder released: a new server can own it.
    const third = start();
    try {
      await waitFor(() => (/running at/.test(third.output()) ? 'up' : null), 60_000);
    } finally {
      third.child.kill('SIGTERM');
      assert.equal(await third.exited, 0);
    }
  } finally {
    first.child.kill('SIGKILL');
  }
});
