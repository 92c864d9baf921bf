// Parsers for numeric and date flags: each refuses a bad value with what was expected; the CLI prints `--flag: got 'v', expected ...`.
import { InvalidArgumentError } from 'commander';
import { DATE_EXPECTED, isCalendarDate } from '../util/calendar.ts';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function number(v: string, expected: string): number {
  const s = v.trim();
  if (!NUMBER.test(s)) throw new InvalidArgumentError(`expected ${expected}`);
  return Number(s);
}

/** An integer >= 1. */
export function positiveInt(v: string): number {
  const n = number(v, 'a positive integer');
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Any integer (seeds). */
export function integer(v: string): number {
  const n = number(v, 'an integer');
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

/** A finite number > 0. */
export function positiveNumber(v: string): number {
  const n = number(v, 'a number > 0');
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

/** A finite number >= 0 (fees in basis points). */
export function nonNegativeNumber(v: string): number {
  const n = number(v, 'a number >= 0');
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
  return n;
}

/** A TCP port, 0 (any free port) to 65535. */
export function port(v: string): number {
  const n = number(v, 'a port number in [0, 65535]');
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number in [0, 65535]');
  return n;
}

/** A real calendar date (kept as the string the config takes). */
export function calendarDate(v: string): string {
  if (!isCalendarDate(v.trim())) throw new InvalidArgumentError(`expected ${DATE_EXPECTED}`);
  return v.trim();
}
