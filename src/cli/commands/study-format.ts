// Optuna's CLI output formats (optuna/cli.py: _convert_to_dict, _dump_value, _dump_table, _format_output): records keyed
// by (column, sub-column) printed as `-f value|table|json|yaml`, nested or `--flatten`ed, byte for byte as Optuna prints them.
import { pyJsonDumps } from '../../tune/python-json.ts';
import { isPyNumber, pyLen, PyTuple, pyStr, type PyValue, tuplesAsLists } from '../../tune/python-repr.ts';
import { pyYamlSafeDump } from '../../tune/python-yaml.ts';

/** A column: ('params', 'lr'), ('values', 0), or ('number', '') for a plain one. */
export interface Column { name: string; sub: string | number }
/** One row: column key (colKey) -> value. */
export type PyRecord = Map<string, PyValue>;

export const FORMATS = ['value', 'json', 'table', 'yaml'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** The map key of a column. */
export const colKey = (c: Column): string => `${c.name}\u0001${typeof c.sub === 'number' ? `#${c.sub}` : c.sub}`;

const isSeq = (v: PyValue | undefined): v is PyValue[] | PyTuple => Array.isArray(v) || v instanceof PyTuple;
const seqItems = (v: PyValue[] | PyTuple): PyValue[] => (v instanceof PyTuple ? v.items : v);

type Row = Record<string, PyValue>;

/** _convert_to_dict: rows (nested, or flattened into `name_sub` keys) and the header. */
export function convertToDict(records: PyRecord[], columns: Column[], flatten: boolean): { rows: Row[]; header: string[] } {
  const header: string[] = [];
  const rows: Row[] = [];
  if (flatten) {
    const seqColumn = (c: Column) => c.sub === '' && records.some((r) => isSeq(r.get(colKey(c))));
    for (const c of columns) {
      if (c.sub !== '') header.push(`${c.name}_${c.sub}`);
      else if (seqColumn(c)) {
        let max = 0;
        for (const r of records) {
          const v = r.get(colKey(c));
          if (v !== undefined) max = Math.max(max, isSeq(v) ? seqItems(v).length : pyLen(pyStr(v)));
        }
        for (let i = 0; i < max; i++) header.push(`${c.name}_${i}`);
      } else header.push(c.name);
    }
    for (const r of records) {
      const row: Row = {};
      for (const c of columns) {
        if (!r.has(colKey(c))) continue;
        const v = r.get(colKey(c))!;
        if (c.sub !== '') row[`${c.name}_${c.sub}`] = v;
        else if (seqColumn(c)) (isSeq(v) ? seqItems(v) : [...pyStr(v)]).forEach((x, i) => { row[`${c.name}_${i}`] = x; });
        else row[c.name] = v;
      }
      rows.push(row);
    }
    return { rows, header };
  }
  for (const c of columns) if (!header.includes(c.name)) header.push(c.name);
  for (const r of records) {
    const row: Row = Object.fromEntries(header.map((h) => [h, {}]));
    for (const c of columns) {
      if (!r.has(colKey(c))) continue;
      const v = r.get(colKey(c))!;
      if (typeof c.sub === 'number') {
        const cur = row[c.name];
        const list: PyValue[] = Array.isArray(cur) ? cur : [];
        while (list.length < c.sub + 1) list.push(null);
        list[c.sub] = v;
        row[c.name] = list;
      } else if (c.sub !== '') (row[c.name] as Row)[c.sub] = v;
      else row[c.name] = v;
    }
    rows.push(row);
  }
  return { rows, header };
}

/** _dump_value: one line per row, cells joined by a space, None as empty. */
function dumpValue(rows: Row[], header: string[]): string {
  return rows.map((r) => header.map((h) => (r[h] === null || r[h] === undefined ? '' : pyStr(r[h]))).join(' ')).join('\n');
}

/** _dump_table: an ASCII table; a column of numbers (and Nones) is right-aligned, any string makes it left-aligned. */
function dumpTable(rows: Row[], header: string[]): string {
  let sep = '+';
  let head = '|';
  const lines = rows.map(() => '|');
  header.forEach((h) => {
    const cells = rows.map((r) => r[h] ?? null);
    const numeric = !cells.some((v) => v !== null && !isPyNumber(v) && typeof v !== 'boolean');
    const width = Math.max(pyLen(h), ...cells.map((v) => pyLen(pyStr(v))));
    const pad = (s: string) => (numeric ? ' '.repeat(width - pyLen(s)) + s : s + ' '.repeat(width - pyLen(s)));
    sep += `${'-'.repeat(width + 2)}+`;
    head += ` ${pad(h)} |`;
    cells.forEach((v, i) => { lines[i] += ` ${v === null ? ' '.repeat(width) : pad(pyStr(v))} |`; });
  });
  return [sep, head, sep, ...lines, sep].join('\n') + '\n';
}

/** _format_output: the text Optuna prints (with its final newline) for a list of records or a single record. */
export function formatOutput(records: PyRecord[] | PyRecord, columns: Column[], format: OutputFormat, flatten: boolean): string {
  const single = !Array.isArray(records);
  const { rows, header } = convertToDict(single ? [records] : records, columns, flatten);
  switch (format) {
    case 'value':
      return `${dumpValue(rows, header).trim()}\n`;
    case 'table':
      return `${dumpTable(rows, header).trim()}\n`;
    case 'json':
      return `${pyJsonDumps(tuplesAsLists(single ? rows[0] : rows)).trim()}\n`;
    case 'yaml':
      return `${pyYamlSafeDump(single ? rows[0] : rows).trim()}\n`;
  }
}
