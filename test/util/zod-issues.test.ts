import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { describeIssues, issuesLine } from '../../src/util/zod-issues.ts';

const schema = z.object({
  lr: z.number().positive(), epochs: z.number().int().min(1), mode: z.enum(['ratio', 'date']), coins: z.array(z.string()).min(1),
  sub: z.object({ patience: z.number().int() }).strict().optional(),
}).strict();

function why(raw: unknown): string {
  const r = schema.safeParse(raw);
  assert.ok(!r.success);
  return describeIssues(r.error, raw, schema);
}

test('issues read "got VALUE, expected WHAT" in plain words, never "expected expected"', () => {
  const msg = why({ lr: 'fast', epochs: 1.5, mode: 'random', coins: [], sub: { patience: 2 } });
  assert.ok(!/expected expected|Invalid input|Too small/.test(msg), msg);
  assert.match(msg, /key "lr": got "fast", expected a number/);
  assert.match(msg, /key "epochs": got 1.5, expected an integer/);
  assert.match(msg, /key "mode": got "random", expected one of "ratio", "date"/);
  assert.match(msg, /key "coins": got \[\], expected at least 1 item/);
  assert.match(why({ lr: -1, epochs: 0, mode: 'date', coins: ['A'] }), /key "lr": got -1, expected a number > 0; key "epochs": got 0, expected a number >= 1/);
});

test('an unknown key names its full path and the nearest known key', () => {
  assert.match(why({ lr: 1, epochs: 1, mode: 'date', coins: ['A'], sub: { patiense: 2 } }), /unknown key "sub.patiense" \(did you mean "sub.patience"\?\)/);
  assert.match(why({ lr: 1, epochs: 1, mode: 'date', coins: ['A'], lrr: 2 }), /unknown key "lrr" \(did you mean "lr"\?\)/);
});

test('issuesLine: the first issues of a file in short form, with how many more', () => {
  const raw = { lr: 'fast', epochs: -2, mode: 'x', coins: 'BTC' };
  const r = schema.safeParse(raw);
  assert.ok(!r.success);
  assert.equal(issuesLine(r.error, raw, { limit: 2, prefix: 'loop.' }),
    'loop.lr: got "fast", expected a number; loop.epochs: got -2, expected a number >= 1 (and 2 more)');
});
