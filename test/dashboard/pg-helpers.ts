// PostgreSQL helpers for the dashboard tests: the skip-or-fail rule (skip loudly; under CI=true fail instead) and a
// TCP proxy in front of the server that a test can stop and restart, as a server that goes away and comes back.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { it } from 'node:test';
import { postgresUnavailable } from '../fixtures/storage/pg.ts';

/** Null when PostgreSQL answers; otherwise registers a skipped (or, under CI=true, failing) test and returns the reason. */
export async function postgresOrSkip(what: string): Promise<string | null> {
  const why = await postgresUnavailable();
  if (!why) return null;
  if (process.env.CI === 'true') {
    it(what, () => { throw new Error(`CI=true and ${why}`); });
  } else {
    console.error(`\n!!!!! SKIPPING ${what}: ${why}. Start PostgreSQL (user postgres, trust auth, database test) to run it. !!!!!\n`);
    it(what, { skip: why }, () => {});
  }
  return why;
}

/** A proxy on 127.0.0.1:<port> to `target`; stop() drops every connection and the listener, start() listens again. */
export class TcpProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const a = server.address();
    if (a && typeof a === 'object') this.port = a.port;
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
