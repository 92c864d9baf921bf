// Real calendar dates in the forms tokcast accepts: 2020-01-01, 2020-01-01T05:00, 2020-01-01T05:00:00Z (UTC).

/** One hour in milliseconds: the candle step. */
export const HOUR_MS = 3_600_000;

/** An on-the-hour time as tokcast writes it: 2020-01-01T05:00Z (UTC, minutes, no seconds). */
export function isoHour(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z?)?$/;

/** What a date must look like, for error messages. */
export const DATE_EXPECTED = 'a real calendar date like 2020-01-01 or 2020-01-01T00:00Z';

/** True for a well-formed date that exists (2022-02-30 and 2021-13-01 do not; hours 00-23). */
export function isCalendarDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d, h = 0, mi = 0, se = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
    && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === se;
}
