// Counts with their nouns in the right form ("0 practices", "1 practice", "1,200 patients"), for
// every feature's view models. Pure.

const plural = new Intl.PluralRules('en-GB');
const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 });

/** The regular English plural: patch → patches, pessary → pessaries, tablet → tablets. */
export function pluralOf(word: string): string {
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** "0 practices", "1 practice", "1,200 practices". */
export function countOf(n: number, one: string, other: string = pluralOf(one)): string {
  return `${number.format(n)} ${plural.select(n) === 'one' ? one : other}`;
}
