// Types of cli-sources.mjs (a plain module so bin/tokcast.js can use it without a TypeScript loader).
export function cliSources(srcDir: string): [path: string, size: number, mtimeMs: number][];
