// Which errors mean "the database is away" (a 503 and a retry) rather than a bug (a 500).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDatabaseUnavailable } from './index.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test('a refused, reset or timed-out connection and a server shutting down are outages', () => {
  for (const e of [
    withCode('ECONNREFUSED'),
    withCode('ECONNRESET'),
    withCode('57P01', 'terminating connection due to administrator command'),
    withCode('57P03', 'the database system is starting up'),
    withCode('08006'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], ''),
    new Error('wrapped', { cause: withCode('ECONNREFUSED') }),
  ])
    assert.equal(isDatabaseUnavailable(e), true, String(e));
});

test('a bad query, a constraint and anything else are not outages', () => {
  for (const e of [
    withCode('42P01', 'relation "x" does not exist'),
    withCode('23505', 'duplicate key value'),
    withCode('22P05', 'unsupported Unicode escape sequence'),
    new TypeError('x is undefined'),
    null,
    'a string',
    undefined,
  ])
    assert.equal(isDatabaseUnavailable(e), false, String(e));
});
