// The folders of src/ form layers: no folder imports, directly or through others, a folder that imports it back, and the
// tune library stays free of the application (config, plots, pipeline). Imports are read by dependency-cruiser.
import { test } from 'node:test';
import assert from 'node:assert/strict';

type FolderGraph = Map<string, Map<string, string[]>>;

/** folder → imported folder → the import edges (file -> file) behind it; files directly in src/ belong to no folder. */
async function folderGraph(): Promise<FolderGraph | null> {
  // typed here, not from the package, so the project typechecks where the devDependency is not installed yet
  type Cruise = (files: string[], options: object) => Promise<{ output: string | { modules: { source: string; dependencies: { resolved: string }[] }[] } }>;
  let cruise: Cruise;
  const name = 'dependency-cruiser';
  try {
    ({ cruise } = (await import(name)) as { cruise: Cruise });
  } catch {
    return null;
  }
  const result = await cruise(['src'], { tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' } });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text, expected a module list');
  const folderOf = (path: string): string | null => {
    const m = /^src\/([^/]+)\//.exec(path);
    return m ? m[1]! : null;
  };
  const graph: FolderGraph = new Map();
  for (const mod of result.output.modules) {
    const from = folderOf(mod.source);
    if (from === null) continue;
    for (const dep of mod.dependencies) {
      const to = folderOf(dep.resolved);
      if (to === null || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      edges.set(to, [...(edges.get(to) ?? []), `${mod.source} -> ${dep.resolved}`]);
    }
  }
  return graph;
}

/** Every cycle between folders, each as the folder path that closes it (a -> b -> a). */
function folderCycles(graph: FolderGraph): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const start of [...graph.keys()].sort()) {
    const walk = (node: string, path: string[]): void => {
      for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
        if (next === start) {
          const key = [...path].sort().join(',');
          if (!seen.has(key)) { seen.add(key); cycles.push([...path, start]); }
        } else if (!path.includes(next) && next > start) {
          walk(next, [...path, next]);
        }
      }
    };
    walk(start, [start]);
  }
  return cycles;
}

const skipReason = (): string | false => {
  const msg = 'dependency-cruiser is not installed (npm install): layer checks not run';
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`SKIP ${msg}`);
  return msg;
};

test('no import cycle between the folders of src/', async (t) => {
  const graph = await folderGraph();
  if (graph === null) { t.skip(skipReason() || undefined); return; }
  // the graph is real: the pipeline reads data and the CLI drives the pipeline
  assert.ok(graph.get('pipeline')?.has('data'), 'expected src/pipeline to import src/data');
  assert.ok(graph.get('cli')?.has('pipeline'), 'expected src/cli to import src/pipeline');
  const cycles = folderCycles(graph);
  const explain = cycles.map((c) => c.join(' -> ') + ':\n' + c.slice(0, -1).map((a, i) => graph.get(a)!.get(c[i + 1]!)!.map((e) => '  ' + e).join('\n')).join('\n'));
  assert.deepEqual(explain, [], `folder cycles in src/:\n${explain.join('\n')}`);
});

test('the tune library imports neither config, plots nor pipeline', async (t) => {
  const graph = await folderGraph();
  if (graph === null) { t.skip(skipReason() || undefined); return; }
  const tune = graph.get('tune');
  assert.ok(tune?.has('util'), 'expected src/tune to import src/util');
  const banned = ['config', 'plots', 'pipeline'].flatMap((f) => tune?.get(f) ?? []);
  assert.deepEqual(banned, [], `src/tune imports the application layer:\n${banned.join('\n')}`);
});

test('the cycle finder reports a cycle through three folders once', () => {
  const g: FolderGraph = new Map([
    ['a', new Map([['b', ['a/x -> b/y']]])],
    ['b', new Map([['c', ['b/y -> c/z']]])],
    ['c', new Map([['a', ['c/z -> a/x']], ['d', ['c/z -> d/w']]])],
  ]);
  assert.deepEqual(folderCycles(g), [['a', 'b', 'c', 'a']]);
  g.get('c')!.delete('a');
  assert.deepEqual(folderCycles(g), []);
});
