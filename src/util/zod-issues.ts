// zod issues in plain words: `key "train.lr": got -1, expected a number > 0` (not zod's "Invalid input: expected ...").
import type { z } from 'zod';
import { didYouMean } from './suggest.ts';

const TYPE_WORDS: Record<string, string> = {
  number: 'a number', int: 'an integer', string: 'a string', boolean: 'true or false', array: 'a list', object: 'a mapping of keys',
  bigint: 'an integer', date: 'a date', null: 'null', undefined: 'nothing',
};

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** What the schema wanted, as a phrase that follows "expected". */
export function expectedOf(iss: z.core.$ZodIssue): string {
  switch (iss.code) {
    case 'invalid_type':
      return TYPE_WORDS[iss.expected] ?? `a value of type ${iss.expected}`;
    case 'too_small':
    case 'too_big': {
      const small = iss.code === 'too_small';
      const bound = small ? (iss as z.core.$ZodIssueTooSmall).minimum : (iss as z.core.$ZodIssueTooBig).maximum;
      const op = small ? (iss.inclusive ? '>=' : '>') : (iss.inclusive ? '<=' : '<');
      if (iss.origin === 'array' || iss.origin === 'set') return `${small ? 'at least' : 'at most'} ${bound} item${Number(bound) === 1 ? '' : 's'}`;
      if (iss.origin === 'string') return `${small ? 'at least' : 'at most'} ${bound} character${Number(bound) === 1 ? '' : 's'}`;
      return `a number ${op} ${bound}`;
    }
    case 'invalid_value':
      return iss.values.length === 1 ? show(iss.values[0]) : `one of ${iss.values.map(show).join(', ')}`;
    case 'invalid_format':
      if (iss.format === 'url') return 'a URL like https://host';
      return iss.message && !/^Invalid/.test(iss.message) ? iss.message : `a ${iss.format}`;
    case 'not_multiple_of':
      return `a multiple of ${iss.divisor}`;
    case 'invalid_union':
      return 'one of the accepted forms';
    default:
      return iss.message.replace(/^Invalid input: expected /, '').replace(/^Invalid input: /, '');
  }
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** Keys a mapping at `path` of `shape` accepts, for did-you-mean hints on unknown keys. */
function knownKeys(schema: z.ZodType | undefined, path: PropertyKey[]): string[] {
  let cur: unknown = schema;
  for (const p of [...path, null]) {
    // unwrap defaults, prefaults, optionals, nullables down to an object
    for (let i = 0; i < 8 && cur && typeof cur === 'object' && !('shape' in cur); i++) {
      const def = (cur as { def?: { innerType?: unknown } }).def;
      if (!def?.innerType) break;
      cur = def.innerType;
    }
    if (!cur || typeof cur !== 'object' || !('shape' in cur)) return [];
    if (p === null) return Object.keys((cur as { shape: object }).shape);
    cur = (cur as { shape: Record<string, unknown> }).shape[String(p)];
  }
  return [];
}

/** One issue as `key "a.b": got VALUE, expected WHAT` (or `unknown key "a.c" (did you mean "a.b"?)`). */
export function describeIssue(iss: z.core.$ZodIssue, raw: unknown, schema?: z.ZodType): string {
  const key = iss.path.map(String).join('.');
  if (iss.code === 'unrecognized_keys') {
    const where = key ? `${key}.` : '';
    const known = knownKeys(schema, iss.path);
    return iss.keys.map((k) => `unknown key "${where}${k}"${didYouMean(k, known).replace(/did you mean (.*)\?/, (_, s: string) => `did you mean ${s.split(' or ').map((c) => `"${where}${c}"`).join(' or ')}?`)}`).join('; ');
  }
  const got = valueAt(raw, iss.path);
  return `key "${key}": got ${got === undefined ? 'nothing' : JSON.stringify(got)}, expected ${expectedOf(iss)}`;
}

/** Every issue of a failed parse, joined into one line. */
export function describeIssues(err: z.ZodError, raw: unknown, schema?: z.ZodType): string {
  return err.issues.map((i) => describeIssue(i, raw, schema)).join('; ');
}

/** The first `limit` issues in a short form for files (`loop.epoch: got -1, expected a number >= 0`), joined by '; '. */
export function issuesLine(err: z.ZodError, raw: unknown, opts: { limit?: number; prefix?: string } = {}): string {
  const limit = opts.limit ?? 3;
  const parts = err.issues.slice(0, limit).map((iss) => {
    const name = `${opts.prefix ?? ''}${iss.path.map(String).join('.')}` || '(root)';
    if (iss.code === 'unrecognized_keys') return `${name}: unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    if (iss.code === 'custom') return `${name}: ${iss.message}`; // a rule across keys, said as a sentence
    const got = valueAt(raw, iss.path);
    const shown = got === undefined ? 'nothing' : JSON.stringify(got);
    return `${name}: got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}, expected ${expectedOf(iss)}`;
  });
  const more = err.issues.length - limit;
  return parts.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}
