#!/usr/bin/env node
// tokcast command-line entry: runs the TypeScript sources through tsx (no build step to go stale)
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
