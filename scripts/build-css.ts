// Builds public/css/app.css from nhsuk-frontend's Sass with our few additions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'public', 'css', 'app.css');
const result = sass.compile(join(root, 'src/platform/views/styles/app.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ['import'],
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, result.css);
console.log(`built ${out} (${Math.round(result.css.length / 1024)} KiB)`);
