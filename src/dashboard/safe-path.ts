// Resolves a path the browser asked for inside one root folder, refusing anything that could escape it:
// absolute paths, `..` segments (after the URL decoding the router already did), NUL bytes, backslashes and
// symbolic links whose target lies outside the root. Only regular files are served.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

/** Why a path was refused: 'bad' (would escape or is malformed) or 'missing' (inside, but no such file). */
export class PathRefused extends Error {
  constructor(readonly reason: 'bad' | 'missing', message: string) {
    super(message);
    this.name = 'PathRefused';
  }
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** Real path of the regular file `rel` inside `root`; throws PathRefused. */
export function resolveInside(root: string, rel: string): string {
  if (typeof rel !== 'string' || rel === '') throw new PathRefused('bad', 'path: expected a relative file path');
  if (rel.includes('\0') || rel.includes('\\') || isAbsolute(rel) || /^[a-z]:/i.test(rel)) throw new PathRefused('bad', `path '${rel}': expected a relative path inside the artifacts folder`);
  const parts = rel.split('/');
  if (parts.some((p) => p === '..' || p === '.')) throw new PathRefused('bad', `path '${rel}': '..' and '.' segments are not allowed`);
  const rootReal = realpathSync(root);
  const target = resolve(rootReal, join(...parts));
  if (!inside(rootReal, target)) throw new PathRefused('bad', `path '${rel}': outside the artifacts folder`);
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    throw new PathRefused('missing', `path '${rel}': no such file`);
  }
  if (!inside(rootReal, real)) throw new PathRefused('bad', `path '${rel}': a link that points outside the artifacts folder`);
  if (!statSync(real).isFile()) throw new PathRefused('missing', `path '${rel}': not a file`);
  return real;
}

