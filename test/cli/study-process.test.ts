// `node bin/tokcast.js study ...` as real processes: exit codes (0, 1, 2), stdout holds only the output, logs and errors on stderr,
// a dead PostgreSQL URL fails fast, and the PostgreSQL storage works through the CLI when a server answers.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../fixtures/storage/pg.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-cliproc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { code: number | null; out: string; err: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['bin/tokcast.js', 'study', ...args], { encoding: 'utf8', timeout: 30000 });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - t0 };
}
const space = JSON.stringify({ x: { name: 'FloatDistribution', attributes: { low: 0, high: 1, log: false, step: null } } });

async function lifecycle(storage: string): Promise<void> {
  const c = run(['create-study', '--storage', storage, '--study-name', 'proc', '--direction', 'minimize']);
  assert.equal(c.code, 0, c.err);
  assert.equal(c.out, 'proc\n');
  const a = run(['ask', '--storage', storage, '--study-name', 'proc', '--search-space', space, '--seed', '1']);
  assert.equal(a.code, 0, a.err);
  const asked = JSON.parse(a.out);
  assert.equal(asked.number, 0);
  const t = run(['tell', '--storage', storage, '--study-name', 'proc', '--trial-number', '0', '--values', String(asked.params.x)]);
  assert.equal(t.code, 0, t.err);
  assert.equal(t.out, '');
  assert.match(t.err, /Told trial 0 with values \[.*\] and state None\./);
  const b = run(['best-trial', '--storage', storage, '--study-name', 'proc', '-f', 'json']);
  assert.equal(JSON.parse(b.out).value, asked.params.x);
}

describe('tokcast study as a process', () => {
  it('exits 0 with the output on stdout; failures exit 1 (bad arguments 2) with one line on stderr only', async () => {
    const storage = join(dir, 'p.db');
    await lifecycle(storage);
    const miss = run(['trials', '--storage', storage, '--study-name', 'missing']);
    assert.equal(miss.code, 1);
    assert.equal(miss.out, '');
    assert.match(miss.err, /no study named 'missing'/);
    assert.equal(miss.err, "error: no study named 'missing'\n");
    const badArg = run(['tell', '--storage', storage, '--study-name', 'proc', '--trial-number', '0', '--state', 'sideways']);
    assert.equal(badArg.code, 2);
    assert.equal(badArg.out, '');
  });

  it('concurrent asks from 4 processes on one SQLite file, all with --seed 1, get distinct trial numbers and parameters', async () => {
    const storage = join(dir, 'many.db');
    assert.equal(run(['create-study', '--storage', storage, '--study-name', 'many']).code, 0);
    const ask = () => new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(process.execPath, ['bin/tokcast.js', 'study', 'ask', '--storage', storage, '--study-name', 'many', '--search-space', space, '--seed', '1']);
      let out = '';
      c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      c.on('exit', (code) => resolve({ code, out }));
    });
    const asked: { number: number; params: unknown }[] = [];
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all([ask(), ask(), ask(), ask()]);
      assert.ok(results.every((r) => r.code === 0));
      asked.push(...results.map((r) => JSON.parse(r.out)));
    }
    assert.deepEqual(asked.map((r) => r.number).sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(new Set(asked.map((r) => JSON.stringify(r.params))).size, 8, 'one seed, eight processes, no replayed ask');
  });

  it('fails fast on a PostgreSQL URL that does not answer', () => {
    const r = run(['studies', '--storage', 'postgresql://postgres@127.0.0.1:1/test']);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /cannot open PostgreSQL storage/);
    assert.ok(r.ms < 15000, `took ${r.ms} ms`);
  });

  it('runs the same lifecycle on PostgreSQL', async (t) => {
    const skip = await skipWithoutPostgres('CLI on PostgreSQL');
    if (skip) return t.skip(skip);
    const schema = uniqueSchema('cli');
    try {
      await lifecycle(`${PG_URL}?schema=${schema}`);
    } finally {
      await dropSchema(schema);
    }
  });
});
