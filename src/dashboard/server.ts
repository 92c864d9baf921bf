// Starts the dashboard: opens the storage read-only, binds the HTTP server (loopback unless told otherwise) and
// hands back its URL and a close function. A storage that cannot be opened at start becomes a banner, not a crash.
import { serve, type ServerType } from '@hono/node-server';
import { UserError } from '../util/errors.ts';
import { createDashboardApp, WEB_DIST } from './app.ts';
import { makeScrub, openDashboardStorage, type DashboardStorage } from './storage.ts';
import { parseStorageUrl, redact } from '../tune/storage/url.ts';

export interface DashboardOptions {
  storage?: string;
  artifactsDir: string;
  port: number;
  host: string;
  webDir?: string;
  pollMs?: number;
  /** keep serving when the storage cannot be opened (the page shows why); false makes it an error. @default true */
  tolerateStorageError?: boolean;
}

export interface RunningDashboard {
  url: string;
  port: number;
  storage: DashboardStorage | null;
  storageError: string | null;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Opens the storage and listens; resolves when the port is bound. */
export async function startDashboard(o: DashboardOptions): Promise<RunningDashboard> {
  let storage: DashboardStorage | null = null;
  let storageError: string | null = null;
  try {
    storage = await openDashboardStorage(o.storage);
  } catch (e) {
    if (o.tolerateStorageError === false || !(e instanceof UserError)) throw e;
    storageError = (e as Error).message;
  }
  const loc = parseStorageUrl(o.storage);
  const label = loc.kind === 'postgres' ? redact(loc.url) : loc.kind === 'sqlite' ? `sqlite:///${loc.path}` : 'memory';
  const { app, close } = createDashboardApp({
    storage, storageError: storageError ?? undefined, label, scrub: makeScrub(o.storage),
    reopen: async () => (storage = await openDashboardStorage(o.storage)), artifactsDir: o.artifactsDir, webDir: o.webDir ?? WEB_DIST, pollMs: o.pollMs,
    allowedHosts: isLoopback(o.host) ? ['127.0.0.1', 'localhost', '::1', o.host] : null,
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: o.port, hostname: o.host }, () => resolve(s));
    s.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'EADDRINUSE' ? new UserError(`--port ${o.port}: already in use on ${o.host}; choose another port (0 picks a free one)`)
        : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' ? new UserError(`--host '${o.host}': not an address of this machine`) : e);
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const hostPart = o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host;
  return {
    url: `http://${hostPart}:${port}/`, port, storage, storageError,
    close: async () => {
      close();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await storage?.close();
    },
  };
}
