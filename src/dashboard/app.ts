// The dashboard's HTTP application (hono): a read-only JSON API over one study storage and one artifacts folder,
// server-sent events for live updates, and the built front end. Every answer is a GET; anything else is 405.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { NotFoundError } from '../tune/storage/storage.ts';
import { TRIAL_STATES, type TrialState } from '../tune/frozen-trial.ts';
import type { DashboardStorage } from './storage.ts';
import { StudyCache } from './study-cache.ts';
import { studyHistory, studyImportance, studyIntermediate, studyParallel, studyPareto, studySlice, studySummary, trialDetail, trialTable, bestTrial, paretoFront, type TrialQuery } from './study-view.ts';
import { discoverRuns, runDetail, runSignature, runSummary, type RunRef } from './runs.ts';
import { PathRefused, resolveInside } from './safe-path.ts';
import { num } from './json.ts';

/** The built front end (`npm run build:dashboard` writes it). */
export const WEB_DIST = fileURLToPath(new URL('../../dist/dashboard/', import.meta.url));

export interface DashboardAppOptions {
  /** null when no storage is configured or it could not be opened at start */
  storage: DashboardStorage | null;
  /** why the storage is missing, shown as a banner */
  storageError?: string;
  /** tries to open the storage again (at most once a second) while it is missing */
  reopen?: () => Promise<DashboardStorage>;
  /** what to call the storage while it is missing (no password) */
  label?: string;
  /** removes secrets from messages; default: the storage's own */
  scrub?: (text: string) => string;
  artifactsDir: string;
  /** folder with index.html and assets; default WEB_DIST */
  webDir?: string;
  /** how often live streams look for changes. @default 500 */
  pollMs?: number;
  /** accept only these Host header names (DNS-rebinding guard when bound to loopback); null = any */
  allowedHosts?: readonly string[] | null;
}

/** fANOVA importance is recomputed at most this often while trials keep arriving (it names the trials it used). */
const IMPORTANCE_REUSE_MS = 10_000;

/** At most this much JSON text (UTF-16 code units) is kept for answering repeated requests. */
const MAX_CACHED_CHARS = 32 * 1024 * 1024;

/** An error the API answers with a status and a message. */
class HttpError extends Error {
  constructor(readonly status: 400 | 404 | 503, message: string) {
    super(message);
  }
}
/** No storage could be opened (yet). */
class StorageMissing extends HttpError {
  constructor(message: string) {
    super(503, message);
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.map': 'application/json',
};

function unavailable(e: unknown): boolean {
  const code = String((e as { code?: string }).code ?? '');
  const msg = String((e as Error).message ?? '');
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === 'SQLITE_CANTOPEN' || code === 'ECONNREFUSED'
    || code === 'ECONNRESET' || code === '57P01' || code === '57P03' || code === '08006' || code === '08001'
    || /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|database is locked|Client has encountered a connection error/i.test(msg);
}

function intParam(v: string | undefined, name: string, def: number, min: number, max: number): number {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, `${name}: expected an integer in [${min}, ${max}], got '${v}'`);
  return n;
}

/** Builds the app; `close()` stops live streams (the storage is the caller's to close). */
export function createDashboardApp(opts: DashboardAppOptions): { app: Hono; close(): void } {
  let ds = opts.storage;
  let cache = ds ? new StudyCache(ds) : null;
  let storageError = opts.storageError;
  let lastTry = 0;
  const webDir = opts.webDir ?? WEB_DIST;
  const pollMs = opts.pollMs ?? 500;
  const scrub = (t: string) => (opts.scrub ? opts.scrub(t) : ds ? ds.scrub(t) : t);
  let closed = false;
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (opts.allowedHosts) {
      const host = (c.req.header('host') ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      if (!opts.allowedHosts.includes(host)) return c.json({ error: `host '${host}' is not allowed; the dashboard answers on loopback names only` }, 403);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.json({ error: 'the dashboard is read-only: only GET requests are answered' }, 405);
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
  });

  app.onError((e, c) => {
    if (e instanceof StorageMissing) return c.json({ error: e.message, storage_down: true }, 503);
    if (e instanceof HttpError) return c.json({ error: scrub(e.message) }, e.status);
    if (e instanceof NotFoundError) return c.json({ error: scrub(e.message) }, 404);
    if (unavailable(e)) return c.json({ error: `storage unavailable: ${scrub((e as Error).message || String((e as { code?: string }).code))}`, storage_down: true }, 503);
    return c.json({ error: `internal error: ${scrub((e as Error).message)}` }, 500);
  });

  const needCache = async (): Promise<StudyCache> => {
    if (cache) return cache;
    if (opts.reopen && Date.now() - lastTry > 1000) {
      lastTry = Date.now();
      try {
        ds = await opts.reopen();
        cache = new StudyCache(ds);
        storageError = undefined;
        return cache;
      } catch (e) {
        storageError = (e as Error).message;
      }
    }
    throw new StorageMissing(storageError ? scrub(storageError) : 'no study storage configured');
  };
  const studyId = (c: Context): number => intParam(c.req.param('id'), 'study id', 0, 0, 2 ** 31);

  // the JSON text of recent answers by ETag, so a second tab or a poll does not serialise a 10,000-trial study again
  const bodies = new Map<string, string>();
  let bodyChars = 0;
  const remember = (etag: string, text: string) => {
    bodies.set(etag, text);
    bodyChars += text.length;
    for (const [k, v] of bodies) {
      if (bodyChars <= MAX_CACHED_CHARS || k === etag) break;
      bodies.delete(k);
      bodyChars -= v.length;
    }
  };

  /** Answers JSON with an ETag from the storage signature; 304 when the client already has it. */
  const cached = async (c: Context, sig: string, body: () => Promise<unknown> | unknown) => {
    const etag = `"${createHash('sha1').update(`${sig}\n${c.req.url}`).digest('base64url').slice(0, 22)}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    let text = bodies.get(etag);
    if (text === undefined) {
      text = JSON.stringify(await body());
      remember(etag, text);
    }
    return c.body(text, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  };

  app.get('/api/info', (c) => c.json({
    read_only: true,
    storage: ds ? { kind: ds.kind, label: ds.label } : opts.label ? { kind: 'unavailable', label: opts.label } : null,
    storage_error: storageError ? scrub(storageError) : null,
    artifacts_dir: opts.artifactsDir,
    poll_ms: pollMs,
  }));

  app.get('/api/studies', async (c) => {
    const sc = await needCache();
    const sig = await sc.ds.listSignature();
    return cached(c, sig, async () => {
      const ids = await sc.studyIds();
      const rows = [];
      for (const id of ids) rows.push((await sc.derived(id, 'summary', studySummary)).value);
      return { studies: rows };
    });
  });

  app.get('/api/studies/:id', async (c) => {
    const sc = await needCache();
    const id = studyId(c);
    const sig = await sc.signature(id);
    return cached(c, sig, async () => {
      const { snap, value: summary } = await sc.derived(id, 'summary', studySummary);
      const history = (await sc.derived(id, 'history', studyHistory)).value;
      const intermediate = (await sc.derived(id, 'intermediate', studyIntermediate)).value;
      const best = bestTrial(snap);
      return {
        ...summary,
        user_attrs: snap.userAttrs, system_attrs: snap.systemAttrs,
        best_values: best ? best.values!.map(num) : null,
        pareto_front: snap.directions.length > 1 ? paretoFront(snap) : null,
        history, intermediate,
      };
    });
  });

  app.get('/api/studies/:id/trials', async (c) => {
    const sc = await needCache();
    const id = studyId(c);
    const q = c.req.query();
    const states = (q.state ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    for (const s of states) if (!TRIAL_STATES.includes(s as TrialState)) throw new HttpError(400, `state: expected any of ${TRIAL_STATES.join(', ')}, got '${s}'`);
    const order = q.order ?? 'asc';
    if (order !== 'asc' && order !== 'desc') throw new HttpError(400, `order: expected asc or desc, got '${order}'`);
    const sort = q.sort ?? 'number';
    if (!/^(number|state|duration|value\d*|param:.+)$/.test(sort)) throw new HttpError(400, `sort: expected number, state, duration, value, value<i> or param:<name>, got '${sort}'`);
    const tq: TrialQuery = { offset: intParam(q.offset, 'offset', 0, 0, 1e9), limit: intParam(q.limit, 'limit', 50, 1, 1000), sort, order, states: states as TrialState[], q: q.q ?? '' };
    const sig = await sc.signature(id);
    return cached(c, sig, async () => trialTable(await sc.snapshot(id), tq));
  });

  app.get('/api/studies/:id/trials/:number', async (c) => {
    const sc = await needCache();
    const id = studyId(c);
    const n = intParam(c.req.param('number'), 'trial number', 0, 0, 2 ** 31);
    const sig = await sc.signature(id);
    return cached(c, sig, async () => {
      const t = (await sc.snapshot(id)).trials.find((x) => x.number === n);
      if (!t) throw new HttpError(404, `study ${id} has no trial number ${n}`);
      return trialDetail(t);
    });
  });

  app.get('/api/studies/:id/importance', async (c) => {
    const sc = await needCache();
    const id = studyId(c);
    const sig = await sc.signature(id);
    return cached(c, sig, async () => (await sc.derived(id, 'importance', studyImportance, { reuseForMs: IMPORTANCE_REUSE_MS })).value);
  });

  app.get('/api/studies/:id/plots', async (c) => {
    const sc = await needCache();
    const id = studyId(c);
    const sig = await sc.signature(id);
    return cached(c, sig, async () => ({
      parallel: (await sc.derived(id, 'parallel', studyParallel)).value,
      slice: (await sc.derived(id, 'slice', studySlice)).value,
      pareto: (await sc.derived(id, 'pareto', studyPareto)).value,
    }));
  });

  const runs = (): RunRef[] => discoverRuns(opts.artifactsDir);
  const findRun = (id: string): RunRef => {
    const r = runs().find((x) => x.id === id);
    if (!r) throw new HttpError(404, `no run '${id}' in the artifacts folder`);
    return r;
  };
  const runsSignature = () => runs().map((r) => `${r.id}:${runSignature(r)}`).join('\n');

  app.get('/api/runs', (c) => cached(c, runsSignature(), () => ({ artifacts_dir: opts.artifactsDir, runs: runs().map(runSummary) })));

  app.get('/api/runs/:run', (c) => {
    const r = findRun(c.req.param('run'));
    return cached(c, runSignature(r), () => runDetail(r));
  });

  app.get('/api/runs/:run/file', (c) => {
    const r = findRun(c.req.param('run'));
    let real: string;
    try {
      real = resolveInside(r.dir, c.req.query('path') ?? '');
    } catch (e) {
      if (e instanceof PathRefused) throw new HttpError(e.reason === 'bad' ? 400 : 404, e.message);
      throw e;
    }
    const type = MIME[extname(real).toLowerCase()] ?? 'application/octet-stream';
    c.header('Content-Type', type);
    if (type === 'application/octet-stream') c.header('Content-Disposition', 'attachment');
    c.header('Cache-Control', 'no-cache');
    return c.body(new Uint8Array(readFileSync(real)));
  });

  /** The signature a live topic follows. */
  const topicSignature = async (topic: string): Promise<string> => {
    if (topic === 'studies') return (await needCache()).ds.listSignature();
    if (topic === 'runs') return runsSignature();
    const m = /^study:(\d+)$/.exec(topic);
    if (m) return (await needCache()).signature(Number(m[1]));
    const r = /^run:(.+)$/.exec(topic);
    if (r) return runSignature(findRun(r[1]));
    throw new HttpError(400, `topic: expected studies, runs, study:<id> or run:<id>, got '${topic}'`);
  };

  // polling fallback: the current signature of a topic
  app.get('/api/version', async (c) => {
    const topic = c.req.query('topic') ?? '';
    const sig = await topicSignature(topic);
    return cached(c, sig, () => ({ topic, version: createHash('sha1').update(sig).digest('hex').slice(0, 16) }));
  });

  // server-sent events: `change` when the topic's signature moves, `status` when the storage goes away or comes back
  app.get('/api/live', async (c) => {
    const topic = c.req.query('topic') ?? '';
    await topicSignature(topic).catch((e) => { if (e instanceof HttpError) throw e; });
    return streamSSE(c, async (stream) => {
      let last: string | null = null;
      let ok: boolean | null = null;
      let id = 0;
      let aborted = false;
      stream.onAbort(() => { aborted = true; });
      let beat = Date.now();
      while (!aborted && !closed) {
        try {
          const sig = await topicSignature(topic);
          if (ok !== true) {
            ok = true;
            await stream.writeSSE({ event: 'status', data: JSON.stringify({ ok: true }), id: String(++id) });
          }
          if (last !== null && sig !== last) await stream.writeSSE({ event: 'change', data: JSON.stringify({ topic }), id: String(++id) });
          last = sig;
        } catch (e) {
          if (ok !== false) {
            ok = false;
            const msg = e instanceof HttpError && !(e instanceof StorageMissing) ? e.message : e instanceof StorageMissing ? `storage unavailable: ${e.message}` : `storage unavailable: ${(e as Error).message || String((e as { code?: string }).code)}`;
            await stream.writeSSE({ event: 'status', data: JSON.stringify({ ok: false, error: scrub(msg) }), id: String(++id) });
          }
        }
        if (Date.now() - beat > 15000) {
          beat = Date.now();
          await stream.write(': keep-alive\n\n');
        }
        await stream.sleep(pollMs);
      }
    });
  });

  app.get('/api/*', (c) => c.json({ error: `no API route ${new URL(c.req.url).pathname}` }, 404));

  // the front end: hashed assets under /assets/, index.html for everything else
  app.get('*', (c) => {
    const path = new URL(c.req.url).pathname;
    const index = join(webDir, 'index.html');
    if (!existsSync(index)) {
      return c.html('<!doctype html><meta charset="utf-8"><title>tokcast dashboard</title><p>The dashboard front end is not built. Run <code>npm run build:dashboard</code> and reload. The JSON API answers under <a href="/api/studies">/api/studies</a>.</p>', 503);
    }
    if (path.startsWith('/assets/') || path === '/favicon.svg') {
      let real: string;
      try {
        real = resolveInside(webDir, path.slice(1));
      } catch {
        return c.json({ error: `no such asset ${path}` }, 404);
      }
      c.header('Content-Type', MIME[extname(real)] ?? 'application/octet-stream');
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return c.body(new Uint8Array(readFileSync(real)));
    }
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'");
    return c.html(readFileSync(index, 'utf8'));
  });

  return { app, close: () => { closed = true; } };
}
