// The programme pages' view models, pure: counts read as words with the right plural.
import type { PracticeUptake } from './service.ts';

const plural = new Intl.PluralRules('en-GB');
const number = new Intl.NumberFormat('en-GB');

/** "0 practices", "1 practice", "12 practices". */
export function countOf(n: number, one: string, other = `${one}s`): string {
  return `${number.format(n)} ${plural.select(n) === 'one' ? one : other}`;
}

export function uptakePage(rows: PracticeUptake[]) {
  return { title: 'Online services in your practices', rows, caption: countOf(rows.length, 'practice') };
}
