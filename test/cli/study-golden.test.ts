// The 40 commands of Optuna 4.9's own CLI (test/fixtures/optuna-storage/cli-golden.json) replayed in order through
// `tokcast study` on a fresh copy of the Optuna-written database: the same exit codes, stdout byte for byte. Normalised
// only where the golden file's README allows: datetimes and durations of trials the run itself creates, the values `ask`
// draws (same keys, JSON types, inside the distribution), the version line; where Optuna fails with a traceback or help
// text on stdout, tokcast must print nothing on stdout and one `error:` line on stderr.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, readFixtureJson } from '../fixtures/data.ts';
import { runStudy } from '../fixtures/study-cli.ts';

interface Golden { args: string[]; exit_code: number; stdout: string; stderr_last_line: string }
const golden = readFixtureJson<Golden[]>('optuna-storage', 'cli-golden.json');

const dir = mkdtempSync(join(tmpdir(), 'tokcast-golden-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const DT = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?/g;
const DUR = /\b\d+:\d\d:\d\d(?:\.\d{6})?\b/g;
// what the fixture itself holds, printed before the run writes anything (entries up to the first create-study)
const firstWrite = golden.findIndex((g) => g.args[0] === 'create-study');
const known = new Set(golden.slice(0, firstWrite).flatMap((g) => [...(g.stdout.match(DT) ?? []), ...(g.stdout.match(DUR) ?? [])]));
const normaliseTimes = (s: string) => s.replace(DT, (m) => (known.has(m) ? m : '<new datetime>')).replace(DUR, (m) => (known.has(m) ? m : '<new duration>'));

// the search space of the golden `ask` commands: x float in [-5, 5], n int in [1, 8], c one of "a", "b", 3
const PARAM = /("(?:params_)?(x|n|c)"): ("[^"]*"|[^,}\s]+)/g;
function normaliseParams(s: string): string {
  return s.replace(PARAM, (_m, key: string, name: string, v: string) => {
    const n = Number(v);
    const ok = name === 'x' ? /[.e]/.test(v) && n >= -5 && n <= 5
      : name === 'n' ? /^\d+$/.test(v) && n >= 1 && n <= 8
        : ['"a"', '"b"', '3'].includes(v);
    return `${key}: ${ok ? `<${name}>` : `<bad ${name}: ${v}>`}`;
  });
}
const drawsParams = (g: Golden) => g.args[0] === 'ask' || g.args.includes('cli-new');

describe('tokcast study replays Optuna 4.9 CLI golden output', () => {
  const db = join(dir, 'golden.db');
  copyFileSync(fixturePath('optuna-storage', 'optuna-4.9.sqlite'), db);

  golden.forEach((g, i) => {
    it(`#${i} ${g.args.join(' ').slice(0, 100)}`, async () => {
      const args = g.args.map((a) => a.replace('<DB>', db));
      const r = await runStudy(args, { OPTUNA_STORAGE: undefined, TOKCAST_STORAGE: undefined });
      assert.equal(r.code, g.exit_code, `exit code (stderr: ${r.err})`);
      if (g.args[0] === '--version') {
        assert.match(r.out, /^tokcast \S+ \(optuna 4\.9\.0 CLI\)\n$/);
        return;
      }
      if (g.exit_code !== 0) {
        assert.equal(r.out, '', 'nothing on stdout when a verb fails');
        assert.match(r.err, /^error: [^\n]+\n$/, 'one clear line on stderr');
        return;
      }
      const norm = (s: string) => (drawsParams(g) ? normaliseParams(normaliseTimes(s)) : normaliseTimes(s));
      assert.equal(norm(r.out), norm(g.stdout));
      assert.ok(!norm(r.out).includes('<bad '), norm(r.out));
      // Optuna's last log line, after its `[I <time>]` prefix, is tokcast's too (except the drawn parameters)
      const logLine = /^\[I [^\]]+\] (.*)$/.exec(g.stderr_last_line)?.[1];
      if (logLine && g.args[0] !== 'ask') assert.equal(/\] (.*)$/.exec(r.err.trim().split('\n').pop() ?? '')?.[1], logLine);
    });
  });
});
