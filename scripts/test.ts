// `npm test`: every unit, integration and browser test, on PGlite, or on PostgreSQL when DATABASE_URL is set.
import { spawnSync } from 'node:child_process';

const db = process.env.DATABASE_URL
  ? `PostgreSQL (${process.env.DATABASE_URL.replace(/\/\/[^@]*@/, '//')})`
  : 'PGlite (embedded)';
console.log(`GP Online tests on ${db}`);
const args = [
  '--test',
  '--test-concurrency=2',
  '--test-timeout=300000',
  'src/**/*.test.ts',
  'test/**/*.test.ts',
  ...process.argv.slice(2),
];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
