// Refusing guessable passwords: zxcvbn-ts with its offline lists of common passwords, names and
// words (no network call, no password leaves the machine). The dictionaries are loaded on the
// first check, not at start-up, so starting and most tests do not pay for them.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/** zxcvbn's score runs 0–4; 3 is "safely unguessable" against an online or slow-hash attack. */
export const MIN_SCORE = 3;
/** zxcvbn slows down on long input and gains nothing from it: the first characters decide. */
const CHECKED_LENGTH = 100;

let factory: Promise<ZxcvbnFactory> | null = null;

function load(): Promise<ZxcvbnFactory> {
  factory ??= (async () => {
    const [core, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
  })();
  return factory;
}

/**
 * Why a password is too easy to guess, in words for the person choosing it, or null when it is
 * strong enough. `personal`: things about the person (their email address) a guesser would try.
 */
export async function weakPasswordProblem(password: string, personal: string[] = []): Promise<string | null> {
  const z = await load();
  const inputs = personal
    .flatMap((p) => [p, p.split('@')[0] ?? '', ...p.split(/[@.\s_-]+/)])
    .filter((p) => p.length >= 3);
  const r = z.check(password.slice(0, CHECKED_LENGTH), inputs);
  if (r.score >= MIN_SCORE) return null;
  const common = r.sequence.some(
    (m) =>
      m.pattern === 'dictionary' &&
      String((m as { dictionaryName?: string }).dictionaryName).startsWith('passwords'),
  );
  const personalUsed = r.sequence.some(
    (m) => m.pattern === 'dictionary' && (m as { dictionaryName?: string }).dictionaryName === 'userInputs',
  );
  const why = personalUsed
    ? 'This password is too easy to guess: it uses part of your email address.'
    : common
      ? 'This password is too common: it is on lists of passwords that attackers try first.'
      : 'This password is too easy to guess.';
  return `${why} Choose a longer phrase of three or four unrelated words, for example “marble tiger kettle sunrise”.`;
}
