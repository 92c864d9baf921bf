// Trial datetimes as Optuna stores them: naive UTC wall time with microseconds ('YYYY-MM-DD HH:MM:SS.ffffff').
// A JS Date holds milliseconds; the microseconds below them ride along in a WeakMap so reads and copies keep them.

const extraMicros = new WeakMap<Date, number>();

/** The microseconds (0..999) a Date carries below its millisecond; 0 for a plain Date. */
export function microsBelowMs(d: Date): number {
  return extraMicros.get(d) ?? 0;
}

/** A Date at `ms` since the epoch plus `micros` (0..999) microseconds. */
export function dateWithMicros(ms: number, micros: number): Date {
  const d = new Date(ms);
  if (micros) extraMicros.set(d, micros);
  return d;
}

/** A copy that keeps the microseconds. */
export function copyDate(d: Date): Date {
  return dateWithMicros(d.getTime(), microsBelowMs(d));
}

/** Microseconds since the epoch. */
export function epochMicros(d: Date): number {
  return d.getTime() * 1000 + microsBelowMs(d);
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]00:?00)?$/;

/** Parses a stored datetime: naive UTC text (SQLAlchemy's format, or ISO-8601 with or without Z). Throws on anything else. */
export function parseUtcDateTime(text: string): Date {
  const m = NAIVE.exec(text.trim());
  if (!m) {
    const d = new Date(text);
    if (Number.isNaN(d.getTime())) throw new Error(`not a datetime: ${JSON.stringify(text)}`);
    return d;
  }
  const frac = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  const us = Number(frac);
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + Math.floor(us / 1000);
  return dateWithMicros(ms, us % 1000);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD HH:MM:SS' in UTC (Optuna's CLI prints datetimes like this). */
export function formatUtcSeconds(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC: how SQLAlchemy stores a naive DATETIME. */
export function formatUtcDateTime(d: Date): string {
  return `${formatUtcSeconds(d)}.${pad(d.getUTCMilliseconds() * 1000 + microsBelowMs(d), 6)}`;
}

/** ISO-8601 without zone, with microseconds when there are any (Python's datetime.isoformat()). */
export function isoformatNaive(d: Date): string {
  const us = d.getUTCMilliseconds() * 1000 + microsBelowMs(d);
  return formatUtcSeconds(d).replace(' ', 'T') + (us ? `.${pad(us, 6)}` : '');
}

/** A duration as Python's str(timedelta) prints it: 'H:MM:SS' or 'H:MM:SS.ffffff' ('1 day, 2:00:00' past a day). */
export function formatTimedelta(micros: number): string {
  const neg = micros < 0;
  let us = Math.round(Math.abs(micros));
  const days = Math.floor(us / 86_400_000_000);
  us -= days * 86_400_000_000;
  const h = Math.floor(us / 3_600_000_000);
  us -= h * 3_600_000_000;
  const m = Math.floor(us / 60_000_000);
  us -= m * 60_000_000;
  const s = Math.floor(us / 1_000_000);
  us -= s * 1_000_000;
  const clock = `${h}:${pad(m)}:${pad(s)}${us ? `.${pad(us, 6)}` : ''}`;
  const out = days ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
  return neg ? `-${out}` : out;
}
