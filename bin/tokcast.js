#!/usr/bin/env node
// tokcast command-line entry. It runs lib/, the sources compiled to JavaScript at install (`npm run build:cli`), while
// lib/ matches src/ file for file; otherwise (an edited or updated checkout) the TypeScript sources through tsx.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliSources } from '../scripts/cli-sources.mjs';

const lib = new URL('../lib/', import.meta.url);
const src = new URL('../src/', import.meta.url);

function libIsCurrent() {
  if (process.env.TOKCAST_FROM_SOURCE === '1' || !existsSync(new URL('sources.json', lib))) return false;
  try {
    return readFileSync(new URL('sources.json', lib), 'utf8').trim() === JSON.stringify(cliSources(fileURLToPath(src)));
  } catch {
    return false;
  }
}

let entry;
if (libIsCurrent()) {
  entry = new URL('cli/main.js', lib).href;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('cli/main.ts', src).href;
}
const { main } = await import(entry);
process.exitCode = await main(process.argv);
