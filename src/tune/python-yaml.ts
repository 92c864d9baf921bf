// PyYAML's yaml.safe_dump(value) with its defaults (block style, sorted keys, indent 2, sequences in mappings not
// indented, ASCII only), so `-f yaml` reads exactly like Optuna's. Follows yaml/emitter.py (analyze_scalar,
// choose_scalar_style), yaml/resolver.py (the YAML 1.1 implicit types a plain scalar must not look like) and
// yaml/representer.py (floats). Not reproduced: folding of strings longer than 80 columns.
import { PyFloat, pyFloatRepr, pyNumber } from './python-json.ts';
import { isPyDict, type PyValue, tuplesAsLists } from './python-repr.ts';

// yaml/resolver.py: strings a plain scalar would be read back as something else
const IMPLICIT: RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];
// the resolver only tries a regex when the first character is one it lists
const FIRST = /^[yYnNtTfFoO\-+0-9.<~=]|^$/;

const BREAKS = '\n\u0085\u2028\u2029';
const SPACEISH = '\0 \t\r\n\u0085\u2028\u2029';

interface Analysis { empty: boolean; multiline: boolean; blockPlain: boolean; singleQuoted: boolean }

function analyze(s: string): Analysis {
  if (s === '') return { empty: true, multiline: false, blockPlain: false, singleQuoted: true };
  const chars = [...s];
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false, breakSpace = false, spaceBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) blockIndicators = true;
  let precededByWs = true;
  let followedByWs = chars.length === 1 || SPACEISH.includes(chars[1]);
  let prevSpace = false, prevBreak = false;
  chars.forEach((ch, i) => {
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ('?:'.includes(ch) && followedByWs) blockIndicators = true;
      if (ch === '-' && followedByWs) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWs) blockIndicators = true;
      if (ch === '#' && precededByWs) blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    const cp = ch.codePointAt(0)!;
    if (!(ch === '\n' || (cp >= 0x20 && cp <= 0x7e))) special = true; // allow_unicode=False: anything else is escaped
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = SPACEISH.includes(ch);
    followedByWs = i + 2 >= chars.length || SPACEISH.includes(chars[i + 2]);
  });
  let blockPlain = true;
  let singleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (breakSpace) blockPlain = singleQuoted = false;
  if (spaceBreak || special) blockPlain = singleQuoted = false;
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { empty: false, multiline: lineBreaks, blockPlain, singleQuoted };
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\x08': 'b', '\x09': 't', '\x0A': 'n', '\x0B': 'v', '\x0C': 'f', '\x0D': 'r', '\x1B': 'e',
  '"': '"', '\\': '\\', '\u0085': 'N', '\u00A0': '_', '\u2028': 'L', '\u2029': 'P',
};

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ESCAPES[ch] !== undefined) out += `\\${ESCAPES[ch]}`;
    else if (cp >= 0x20 && cp <= 0x7e) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`;
  }
  return out + '"';
}

function singleQuoted(s: string, indent: number): string {
  // a line break inside single quotes is written as an empty line, the text going on at the scalar's indent
  return `'${s.replace(/'/g, "''").replace(/\n/g, `\n\n${' '.repeat(indent)}`)}'`;
}

/** A string scalar as PyYAML writes it (plain, '...' or "..."); `simpleKey` for mapping keys; `indent` for continuation lines. */
export function yamlString(s: string, simpleKey = false, indent = 0): string {
  const a = analyze(s);
  const looksTyped = FIRST.test(s) && IMPLICIT.some((r) => r.test(s));
  if (!looksTyped && !(simpleKey && (a.empty || a.multiline)) && a.blockPlain) return s;
  if (a.singleQuoted && !(simpleKey && a.multiline)) return singleQuoted(s, indent);
  return doubleQuoted(s);
}

function yamlFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  const r = pyFloatRepr(x).toLowerCase();
  return !r.includes('.') && r.includes('e') ? r.replace('e', '.0e') : r;
}

function scalar(v: PyValue, indent = 0): string | null {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) && pyNumber(v) === String(v) ? String(v) : yamlFloat(v);
  if (v instanceof PyFloat) return yamlFloat(v.value);
  if (typeof v === 'string') return yamlString(v, false, indent);
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (isPyDict(v) && Object.keys(v).length === 0) return '{}';
  return null;
}

const byKey = (a: [string, PyValue], b: [string, PyValue]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Lines of a non-empty collection, each starting with `indent` spaces. */
function block(v: PyValue, indent: number): string[] {
  const sp = ' '.repeat(indent);
  const out: string[] = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = scalar(item, indent + 2);
      if (s !== null) {
        out.push(`${sp}- ${s}`);
        continue;
      }
      const inner = block(item, indent + 2);
      out.push(`${sp}- ${inner[0].slice(indent + 2)}`, ...inner.slice(1));
    }
    return out;
  }
  for (const [k, x] of Object.entries(v as Record<string, PyValue>).sort(byKey)) {
    const key = yamlString(k, true);
    const s = scalar(x, indent + 2);
    if (s !== null) out.push(`${sp}${key}: ${s}`);
    else out.push(`${sp}${key}:`, ...block(x, Array.isArray(x) ? indent : indent + 2));
  }
  return out;
}

/** yaml.safe_dump(value): the document text, ending in a newline. */
export function pyYamlSafeDump(value: PyValue): string {
  const v = tuplesAsLists(value);
  const s = scalar(v);
  if (s !== null) return Array.isArray(v) || isPyDict(v) ? `${s}\n` : `${s}\n...\n`;
  return `${block(v, 0).join('\n')}\n`;
}
