// The XHTML narrative of an exported resource, rendered from narrative.njk: no markup in TypeScript.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Narrative } from '@medplum/fhirtypes';
import nunjucks from 'nunjucks';

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(dirname(fileURLToPath(import.meta.url))), {
  autoescape: true,
});

/** The entry's free text as the resource's narrative; nothing when there is no text. */
export function narrativeOf(text: string | null): { text?: Narrative } {
  if (text === null || text === '') return {};
  const div = env.render('narrative.njk', { lines: text.split(/\r?\n/) });
  return { text: { status: 'additional', div } };
}
