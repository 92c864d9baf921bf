// Numbers as the dashboard's JSON carries them: finite numbers as they are, NaN and +-Infinity as the strings
// "NaN", "Infinity", "-Infinity" (JSON has no spelling for them), so the page can show them exactly.

export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** A number for JSON. */
export function num(v: number): JsonNumber {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

/** Inverse of num (tests and the page read values back with it). */
export function fromJsonNumber(v: JsonNumber | null): number | null {
  if (v === null) return null;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}
