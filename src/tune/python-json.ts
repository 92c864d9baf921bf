// Python's json.dumps / repr(float) output, so what tokcast stores and prints reads exactly like what Optuna stores and prints.
// JavaScript has one number type; a value Python holds as a float is wrapped in PyFloat so it prints as `1.0`, `1e-05`, `Infinity`.

/** A number Python would hold as a float (repr `1.0`, not `1`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Python's repr(float): shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16, else `d.ddde+XX`. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${out}` : out;
}

/** A JS number as Python prints it: integers as ints, others as floats. */
export function pyNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  return pyFloatRepr(x);
}

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyFloatRepr(x);
}

/** Python's json.dumps(value) with default separators (', ', ': '), ensure_ascii and allow_nan (Infinity, NaN). */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return jsonFloat(value.value);
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : jsonFloat(value);
    case 'string':
      return pyJsonString(value);
    case 'object':
      if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
      return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyJsonString(k)}: ${pyJsonDumps(v)}`).join(', ')}}`;
    default:
      return 'null';
  }
}

/** A JSON string literal with non-ASCII escaped as \uXXXX, as json.dumps does by default. */
export function pyJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** json.loads: JSON plus Python's bare NaN, Infinity and -Infinity. */
export function pyJsonLoads(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!/NaN|Infinity/.test(text)) throw e;
  }
  const marks: Record<string, number> = { '\u0000NaN': NaN, '\u0000Infinity': Infinity, '\u0000-Infinity': -Infinity };
  // replace the bare tokens outside string literals with marker strings, then map the markers back
  const swapped = text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (tok) => (tok.startsWith('"') ? tok : JSON.stringify(`\u0000${tok}`)));
  return JSON.parse(swapped, (_k, v) => (typeof v === 'string' && Object.hasOwn(marks, v) ? marks[v] : v));
}
