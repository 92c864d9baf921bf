// PyYAML's yaml.safe_dump(value) with its defaults (block style, sorted keys, indent 2, sequences in mappings not
// indented, ASCII only), so `-f yaml` reads exactly like Optuna's. Follows yaml/emitter.py (analyze_scalar,
// choose_scalar_style), yaml/resolver.py (the YAML 1.1 implicit types a plain scalar must not look like) and
// yaml/representer.py (floats), with emitter.write_plain / write_single_quoted splitting lines past column 80. Not
// reproduced: line splitting inside double-quoted (non-ASCII) strings, and keys over 128 characters.
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

const BEST_WIDTH = 80;

/** emitter.write_plain: words as they are; a single space past column 80 becomes a line break and the scalar's indent. */
function plain(s: string, column: number, indent: number, split: boolean): string {
  let out = '';
  let col = column;
  for (const part of s.match(/ +|[^ ]+/g) ?? []) {
    if (part === ' ' && split && col > BEST_WIDTH) {
      out += `\n${' '.repeat(indent)}`;
      col = indent;
    } else {
      out += part;
      col += [...part].length;
    }
  }
  return out;
}

/** emitter.write_single_quoted: ' doubled, breaks written as in a folded scalar, long lines split at single inner spaces. */
function singleQuoted(s: string, column: number, indent: number, split: boolean): string {
  let out = "'";
  let col = column + 1;
  const chars = [...s];
  const newline = () => {
    out += '\n';
    col = 0;
  };
  const toIndent = () => {
    if (col > indent) newline();
    out += ' '.repeat(indent - col);
    col = indent;
  };
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i];
    if (ch === ' ') {
      let j = i;
      while (j < chars.length && chars[j] === ' ') j++;
      if (j - i === 1 && split && col > BEST_WIDTH && i !== 0 && j !== chars.length) toIndent();
      else {
        out += ' '.repeat(j - i);
        col += j - i;
      }
      i = j;
    } else if (BREAKS.includes(ch)) {
      let j = i;
      while (j < chars.length && BREAKS.includes(chars[j])) j++;
      if (chars[i] === '\n') newline();
      for (let k = i; k < j; k++) {
        out += chars[k] === '\n' ? '\n' : chars[k];
        col = 0;
      }
      toIndent();
      i = j;
    } else if (ch === "'") {
      out += "''";
      col += 2;
      i++;
    } else {
      out += ch;
      col++;
      i++;
    }
  }
  return `${out}'`;
}

/**
 * A string scalar as PyYAML writes it (plain, '...' or "..."): `simpleKey` for mapping keys (never split), `column` where
 * the scalar starts on its line and `indent` where continuation lines start.
 */
export function yamlString(s: string, simpleKey = false, indent = 0, column = 0): string {
  const a = analyze(s);
  const looksTyped = FIRST.test(s) && IMPLICIT.some((r) => r.test(s));
  if (!looksTyped && !(simpleKey && (a.empty || a.multiline)) && a.blockPlain) return plain(s, column, indent, !simpleKey);
  if (a.singleQuoted && !(simpleKey && a.multiline)) return singleQuoted(s, column, indent, !simpleKey);
  return doubleQuoted(s);
}

function yamlFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  const r = pyFloatRepr(x).toLowerCase();
  return !r.includes('.') && r.includes('e') ? r.replace('e', '.0e') : r;
}

function scalar(v: PyValue, indent = 0, column = 0): string | null {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) && pyNumber(v) === String(v) ? String(v) : yamlFloat(v);
  if (v instanceof PyFloat) return yamlFloat(v.value);
  if (typeof v === 'string') return yamlString(v, false, indent, column);
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
      const s = scalar(item, indent + 2, indent + 2);
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
    const s = scalar(x, indent + 2, [...`${sp}${key}: `].length);
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
