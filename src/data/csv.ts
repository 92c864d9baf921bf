// CSV candle loader: one file per coin, either Binance's 12-column kline layout (data.binance.vision, with or without header,
// ms or us epochs) or the plain `open_time,open,high,low,close,volume` layout (ISO-8601 or epoch s/ms/us); see SOURCE.md.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { allocCandles, type CoinCandles } from './candles.ts';
import { UserError } from '../util/errors.ts';
import { HOUR_MS } from '../util/calendar.ts';

/** File names tried for a coin, in order of preference (matched case-insensitively). */
export function candidateFileNames(coin: string, quote: string): string[] {
  return [`${coin}${quote}-1h.csv`, `${coin}${quote}.csv`, `${coin}.csv`, `${coin}_${quote}-1h.csv`, `${coin}_${quote}.csv`, `${coin}-${quote}-1h.csv`, `${coin}-1h.csv`];
}

/** Finds a coin's CSV in `dir`; a UserError lists the names tried when none matches. */
export function findCoinFile(dir: string, coin: string, quote: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`data.data_dir "${dir}": folder not found`);
  const byLower = new Map<string, string>();
  for (const name of readdirSync(dir)) if (!byLower.has(name.toLowerCase())) byLower.set(name.toLowerCase(), name);
  const tried = candidateFileNames(coin, quote);
  for (const name of tried) {
    const hit = byLower.get(name.toLowerCase());
    if (hit) return join(dir, hit);
  }
  throw new UserError(`${dir}: no CSV file for coin ${coin} (tried ${tried.join(', ')}, case-insensitive)`);
}

export interface CsvLoadOptions {
  dir: string;
  coins: string[];
  quote: string;
  /** first and last hour kept (ms, inclusive); rows outside are dropped after validation */
  startMs?: number;
  endMs?: number;
}

/** Loads every coin's file from a folder, validated and cut to [startMs, endMs]. */
export function loadCsvFolder(opts: CsvLoadOptions, onCoin?: (coin: string, rows: number) => void): CoinCandles[] {
  const out: CoinCandles[] = [];
  for (const coin of opts.coins) {
    const file = findCoinFile(opts.dir, coin, opts.quote);
    let c = parseCandleCsv(readFileSync(file, 'latin1'), coin, file);
    if (opts.startMs !== undefined || opts.endMs !== undefined) c = sliceCandles(c, opts.startMs ?? -Infinity, opts.endMs ?? Infinity);
    onCoin?.(coin, c.openTime.length);
    out.push(c);
  }
  return out;
}

/** Keeps the rows with startMs <= openTime <= endMs (copies). */
export function sliceCandles(c: CoinCandles, startMs: number, endMs: number): CoinCandles {
  let a = 0;
  while (a < c.openTime.length && c.openTime[a] < startMs) a++;
  let b = a;
  while (b < c.openTime.length && c.openTime[b] <= endMs) b++;
  return {
    coin: c.coin, source: c.source, openTime: c.openTime.slice(a, b), open: c.open.slice(a, b), high: c.high.slice(a, b),
    low: c.low.slice(a, b), close: c.close.slice(a, b), volume: c.volume.slice(a, b),
  };
}

const TIME_NAMES = ['open_time', 'opentime', 'open time', 'timestamp', 'time', 'date', 'datetime'];
const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

type TimeUnit = 'iso' | 's' | 'ms' | 'us' | 'ns';
const UNIT_SCALE: Record<Exclude<TimeUnit, 'iso'>, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };

function epochUnit(v: number): Exclude<TimeUnit, 'iso'> {
  const a = Math.abs(v);
  if (a < 1e11) return 's';
  if (a < 1e14) return 'ms';
  if (a < 1e17) return 'us';
  return 'ns';
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO-8601 date-time (no zone = UTC) to ms; NaN when it is not one. */
export function parseIsoUtc(s: string): number {
  const m = ISO_RE.exec(s);
  if (!m) return NaN;
  let t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, m[7] ? Math.round(+`0.${m[7]}` * 1000) : 0);
  const z = m[8];
  if (z && z.toUpperCase() !== 'Z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    t -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000;
  }
  return t;
}

function unq(s: string): string {
  s = s.trim();
  return s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34 ? s.slice(1, -1) : s;
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Decimal `[-]ddd[.ddd]` in text[a, b) -> float64, bit-identical to Number() (exact mantissa < 2^53 over an exact power of ten: Clinger's fast path); NaN for anything else. */
function fastNumber(text: string, a: number, b: number): number {
  let neg = false;
  if (a < b && text.charCodeAt(a) === 45) { neg = true; a++; }
  if (a >= b) return NaN;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (let i = a; i < b; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) { m = m * 10 + (ch - 48); digits++; if (frac >= 0) frac++; }
    else if (ch === 46 && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
}

function digit2(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48, b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -10000;
}

/** `YYYY-MM-DDTHH:MM:SS[Z]` at text[a, b) -> ms, or NaN (then the general ISO parser runs). */
function fastIso(text: string, a: number, b: number): number {
  const n = b - a;
  if ((n !== 19 && n !== 20) || text.charCodeAt(a + 4) !== 45 || text.charCodeAt(a + 7) !== 45 || text.charCodeAt(a + 13) !== 58 || text.charCodeAt(a + 16) !== 58) return NaN;
  if (n === 20 && text.charCodeAt(a + 19) !== 90) return NaN;
  const y = digit2(text, a) * 100 + digit2(text, a + 2);
  const mo = digit2(text, a + 5), day = digit2(text, a + 8), h = digit2(text, a + 11), mi = digit2(text, a + 14), s = digit2(text, a + 17);
  if (!(mo >= 1 && mo <= 12 && day >= 1 && day <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59)) return NaN;
  // days from civil (H. Hinnant)
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return ((days * 24 + h) * 60 + mi) * 60_000 + s * 1000;
}


interface Layout {
  hasHeader: boolean;
  /** column index of open_time, open, high, low, close, volume */
  cols: number[];
  nCols: number;
}

/** Header (columns found by name, any order) or none (6 plain or 12 kline columns, open_time..volume first). */
function detectLayout(first: string, file: string, lineNo: number): Layout {
  const cells = first.split(',').map(unq);
  const hasHeader = !/^[+-]?[0-9]/.test(cells[0]);
  if (!hasHeader) {
    if (cells.length !== 6 && cells.length !== 12)
      throw new UserError(`${file}: line ${lineNo}: expected 6 columns (open_time,open,high,low,close,volume) or 12 (Binance kline layout), found ${cells.length}`);
    return { hasHeader, cols: [0, 1, 2, 3, 4, 5], nCols: cells.length };
  }
  const names = cells.map((c) => c.toLowerCase());
  const expected = `expected a header like open_time,open,high,low,close,volume; found ${first}`;
  const ti = names.findIndex((n) => TIME_NAMES.includes(n));
  if (ti < 0) throw new UserError(`${file}: line ${lineNo}: missing column "open_time" (${expected})`);
  const cols = [ti];
  for (const f of FIELDS) {
    const i = names.indexOf(f);
    if (i < 0) throw new UserError(`${file}: line ${lineNo}: missing column "${f}" (${expected})`);
    cols.push(i);
  }
  return { hasHeader, cols, nCols: cells.length };
}

/** Line cursor over the text: skips blank lines, strips CR, counts 1-based line numbers. */
class Lines {
  pos = 0; lineNo = 0; start = 0; end = 0;
  constructor(readonly text: string) {}
  next(): boolean {
    const text = this.text, len = text.length;
    while (this.pos < len) {
      let nl = text.indexOf('\n', this.pos);
      if (nl < 0) nl = len;
      this.start = this.pos;
      this.end = nl > this.pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.pos = nl + 1;
      this.lineNo++;
      for (let i = this.start; i < this.end; i++) { const ch = text.charCodeAt(i); if (ch !== 32 && ch !== 9) return true; }
    }
    return false;
  }
}

/** Open time parser that remembers the format of the last value (ISO or epoch unit). */
class TimeParser {
  unit: TimeUnit = 'iso';
  parse(text: string, a: number, b: number): number {
    const t = fastIso(text, a, b);
    if (!Number.isNaN(t)) { this.unit = 'iso'; return t; }
    const ts = unq(text.slice(a, b));
    const num = ts === '' ? NaN : Number(ts);
    if (Number.isFinite(num)) {
      this.unit = epochUnit(num);
      return Math.round(num * UNIT_SCALE[this.unit]);
    }
    this.unit = 'iso';
    return parseIsoUtc(ts);
  }
}

const unitName = (x: TimeUnit) => (x === 'iso' ? 'ISO-8601' : `epoch ${x}`);

/**
 * Parses one coin's CSV text: detects header/no header, kline or plain layout and the time unit (per file), and checks
 * every row (numbers, hourly open times, strictly increasing). Errors name the file, the 1-based line and what was expected.
 */
export function parseCandleCsv(text: string, coin: string, file: string): CoinCandles {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  else if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  const lines = new Lines(text);
  if (!lines.next()) throw new UserError(`${file}: empty file (expected a CSV of hourly candles for ${coin})`);
  const { hasHeader, cols, nCols } = detectLayout(text.slice(lines.start, lines.end), file, lines.lineNo);
  let cap = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) cap++;
  const c = allocCandles(coin, cap);
  c.source = file;
  const n = parseRows(lines, hasHeader ? lines.next() : true, cols, hasHeader ? -1 : nCols, c, file);
  if (n === 0) throw new UserError(`${file}: no data rows after the header (expected hourly candles for ${coin})`);
  checkHourlySpacing(c.openTime, n, file);
  return n === cap ? c : {
    coin, source: file, openTime: c.openTime.slice(0, n), open: c.open.slice(0, n), high: c.high.slice(0, n),
    low: c.low.slice(0, n), close: c.close.slice(0, n), volume: c.volume.slice(0, n),
  };
}

/** The row loop: fills `c` from the current line on; returns the row count. `nCols` -1 = header given (at least cols). */
function parseRows(lines: Lines, more: boolean, cols: number[], nCols: number, c: CoinCandles, file: string): number {
  const text = lines.text;
  const needCols = Math.max(...cols) + 1;
  const arrs = [c.open, c.high, c.low, c.close, c.volume];
  const fs = new Int32Array(needCols), fe = new Int32Array(needCols);
  const tp = new TimeParser();
  let n = 0, unit: TimeUnit | null = null, unitLine = 0, prevLine = 0;
  for (; more; more = lines.next()) {
    const lineNo = lines.lineNo;
    let k = 0, a = lines.start;
    for (let i = lines.start; i <= lines.end && k < needCols; i++) {
      if (i === lines.end || text.charCodeAt(i) === 44) { fs[k] = a; fe[k] = i; k++; a = i + 1; }
    }
    if (k < needCols) {
      const line = text.slice(lines.start, lines.end);
      throw new UserError(`${file}: line ${lineNo}: expected ${nCols < 0 ? `at least ${needCols}` : nCols} fields, found ${line.split(',').length} (${line.slice(0, 80)})`);
    }
    const t = tp.parse(text, fs[cols[0]], fe[cols[0]]);
    if (unit === null) { unit = tp.unit; unitLine = lineNo; }
    else if (unit !== tp.unit)
      throw new UserError(`${file}: line ${lineNo}: open time ${unq(text.slice(fs[cols[0]], fe[cols[0]]))} looks like ${unitName(tp.unit)} but line ${unitLine} used ${unitName(unit)} (expected one time format per file)`);
    if (Number.isNaN(t))
      throw new UserError(`${file}: line ${lineNo}: column open_time: "${unq(text.slice(fs[cols[0]], fe[cols[0]]))}" is not a time (expected ISO-8601 like 2020-01-01T00:00:00Z or epoch s/ms/us)`);
    if (t % HOUR_MS !== 0) throw new UserError(`${file}: line ${lineNo}: open time ${unq(text.slice(fs[cols[0]], fe[cols[0]]))} (${new Date(t).toISOString()}) is not on the hour (expected 1h candles)`);
    if (n > 0) {
      const prev = c.openTime[n - 1];
      if (t === prev) throw new UserError(`${file}: line ${lineNo}: duplicated open time ${iso(t)} (also on line ${prevLine}; expected one row per hour)`);
      if (t < prev) throw new UserError(`${file}: line ${lineNo}: open time ${iso(t)} is earlier than line ${prevLine} (${iso(prev)}); expected rows sorted by time`);
    }
    c.openTime[n] = t;
    for (let j = 0; j < 5; j++) {
      const col = cols[j + 1];
      let v = fastNumber(text, fs[col], fe[col]);
      if (Number.isNaN(v)) {
        const s = unq(text.slice(fs[col], fe[col]));
        v = s === '' ? NaN : +s;
        if (!Number.isFinite(v)) throw new UserError(`${file}: line ${lineNo}: column ${FIELDS[j]}: "${s}" is not a number (expected a finite decimal)`);
      }
      arrs[j][n] = v;
    }
    n++;
    prevLine = lineNo;
  }
  return n;
}

/** Gaps are allowed, but most steps must be exactly 1h; otherwise the file holds another interval (e.g. 4h or 1d). */
function checkHourlySpacing(t: Float64Array, n: number, file: string): void {
  if (n < 3) return;
  let hourly = 0;
  let minStep = Infinity;
  for (let i = 1; i < n; i++) {
    const d = t[i] - t[i - 1];
    if (d === HOUR_MS) hourly++;
    if (d < minStep) minStep = d;
  }
  if (hourly * 2 < n - 1)
    throw new UserError(`${file}: only ${hourly} of ${n - 1} steps between rows are 1h (smallest step ${minStep / HOUR_MS}h); expected hourly candles, not another interval`);
}
