// The programme pages' view models, pure: counts read as words with the right plural.
import type { PracticeUptake } from './service.ts';
import { countOf } from '../platform/words.ts';

export function uptakePage(rows: PracticeUptake[]) {
  return { title: 'Online services in your practices', rows, caption: countOf(rows.length, 'practice') };
}
