// Python values as Optuna's CLI holds them (int vs float, tuple vs list) and Python's str()/repr() of them, so the
// `-f table` and `-f value` outputs read exactly like Optuna's. JSON and YAML renderings are in python-json.ts / python-yaml.ts.
import { PyFloat, pyFloatRepr, pyNumber } from './python-json.ts';

/** A Python tuple (repr `('a',)`; a list in JSON and YAML). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A value as Python holds it: a JS number is an int when integral, else a float; PyFloat forces a float. */
export type PyValue = null | boolean | number | string | PyFloat | PyTuple | PyValue[] | { [key: string]: PyValue };

/** True for Python's int and float (bool excluded). */
export function isPyNumber(v: unknown): v is number | PyFloat {
  return typeof v === 'number' || v instanceof PyFloat;
}

/** True for a plain dict (not a list, tuple, float or null). */
export function isPyDict(v: unknown): v is { [key: string]: PyValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && !(v instanceof PyTuple);
}

// Python's str.isprintable(): not Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (the ASCII space excepted)
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr(str): single quotes unless the text has ' and no ", escapes as CPython writes them. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x7f || (ch !== ' ' && !NON_PRINTABLE.test(ch))) out += ch;
    else if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + quote;
}

/** Python's repr(value). */
export function pyRepr(v: PyValue): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return pyStrRepr(v);
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : `(${v.items.map(pyRepr).join(', ')})`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
}

/** Python's str(value): a string as it is, anything else as its repr. */
export function pyStr(v: PyValue): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

/** len() of a Python string (code points, not UTF-16 units). */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The value with tuples turned into lists (what json.dumps and yaml.safe_dump see). */
export function tuplesAsLists(v: PyValue): PyValue {
  if (v instanceof PyTuple) return v.items.map(tuplesAsLists);
  if (Array.isArray(v)) return v.map(tuplesAsLists);
  if (isPyDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tuplesAsLists(x)]));
  return v;
}
