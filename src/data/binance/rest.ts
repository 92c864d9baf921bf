// Binance spot REST client for hourly klines: `GET /api/v3/klines` (binance-spot-api-docs rest-api.md, "Kline/Candlestick
// data"), paginated by startTime, weight-limited, retried with exponential backoff + jitter on 429/418/5xx/network/timeouts/bad bodies.
// A host that cannot be reached at all (DNS failure, connection refused, no route) is given up on within UNREACHABLE_BUDGET_MS.
import { UserError } from '../../util/errors.ts';
import { WeightLimiter, realClock, type Clock } from './limiter.ts';
import { HOUR_MS } from '../../util/calendar.ts';

/** klines weight for limit 101..1000 (binance-spot-api-docs: weight 2) */
export const KLINES_WEIGHT = 2;
export const KLINES_LIMIT = 1000;
/** errno codes meaning the host cannot be reached at all (no name, nothing listening, no route): not worth minutes of backoff */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'EHOSTDOWN']);
/** how long, from the first such failure, an unreachable host is retried before the download stops */
export const UNREACHABLE_BUDGET_MS = 8_000;

/** One hourly candle as the client returns it (strings parsed to numbers; volume is the base-asset volume, field 5). */
export interface Kline {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closeTime: number;
}

export interface BinanceClientOptions {
  baseUrl: string;
  maxWeightPerMinute?: number;
  maxRetries?: number;
  timeoutMs?: number;
  /** fetch implementation (default: global fetch) */
  fetch?: typeof globalThis.fetch;
  /** time source and sleeper (default: real time); tests pass a fake clock */
  clock?: Clock;
  /** uniform [0, 1) for backoff jitter (default Math.random) */
  random?: () => number;
  /** first backoff delay in ms, doubled each retry (default 1000), capped at maxBackoffMs (default 60000) */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** a Retry-After longer than this fails at once instead of waiting (default 600 s) */
  maxRetryAfterMs?: number;
  /** called before each retry wait, for logs and tests */
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

/** One fetched page: the candles and the hour range [from, coveredTo] the exchange has answered for completely. */
export interface KlinePage {
  rows: Kline[];
  from: number;
  coveredTo: number;
}

class RetryableError extends Error {
  constructor(message: string, readonly retryAfterMs: number | null = null, readonly unreachable = false) {
    super(message);
  }
}

/** Binance REST client for one base URL; one instance shares its weight limiter across all symbols. */
export class BinanceClient {
  readonly baseUrl: string;
  readonly limiter: WeightLimiter;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  requests = 0;

  constructor(private readonly opts: BinanceClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.clock = opts.clock ?? realClock;
    this.limiter = new WeightLimiter(opts.maxWeightPerMinute ?? 3000, this.clock);
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
    this.random = opts.random ?? Math.random;
    this.maxRetries = opts.maxRetries ?? 8;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  /** One klines request (with retries): candles with startMs <= openTime <= endMs, at most `limit`. */
  async klines(symbol: string, startMs: number, endMs: number, limit = KLINES_LIMIT): Promise<Kline[]> {
    const url = `${this.baseUrl}/api/v3/klines?symbol=${encodeURIComponent(symbol)}&interval=1h&startTime=${startMs}&endTime=${endMs}&limit=${limit}`;
    let lastReason = '';
    // set at the first "cannot reach the host" failure: from then on the retries share UNREACHABLE_BUDGET_MS
    let unreachableSince: number | null = null;
    for (let attempt = 0; ; attempt++) {
      await this.limiter.acquire(KLINES_WEIGHT);
      let retryAfterMs: number | null = null;
      const startedAt = this.clock.now();
      const budgetLeft = unreachableSince === null ? Infinity : UNREACHABLE_BUDGET_MS - (startedAt - unreachableSince);
      let unreachable = false;
      try {
        return await this.requestOnce(url, symbol, Math.min(this.timeoutMs, budgetLeft));
      } catch (e) {
        if (!(e instanceof RetryableError)) throw e;
        lastReason = e.message;
        retryAfterMs = e.retryAfterMs;
        unreachable = e.unreachable || (unreachableSince !== null && budgetLeft < this.timeoutMs);
      }
      if (unreachable) unreachableSince ??= startedAt;
      if (attempt >= this.maxRetries)
        throw new UserError(`Binance ${url}: gave up after ${attempt + 1} attempts (last: ${lastReason}); rerun to resume, fetched candles are cached`);
      const cap = this.opts.maxBackoffMs ?? 60_000;
      const backoff = Math.min(cap, (this.opts.baseBackoffMs ?? 1000) * 2 ** attempt);
      const jittered = backoff * (0.5 + 0.5 * this.random());
      if (unreachableSince !== null && this.clock.now() - unreachableSince + jittered >= UNREACHABLE_BUDGET_MS)
        throw new UserError(`Binance ${this.baseUrl}: cannot reach the host (${lastReason}) after ${attempt + 1} attempts in ${((this.clock.now() - unreachableSince) / 1000).toFixed(1)} s; check the network connection and data.binance.base_url, then rerun (fetched candles are cached)`);
      if (retryAfterMs !== null && retryAfterMs > (this.opts.maxRetryAfterMs ?? 600_000))
        throw new UserError(`Binance ${url}: ${lastReason}; asked to wait ${Math.round(retryAfterMs / 1000)} s, too long to wait here; try again later`);
      // the server's Retry-After is the authority when given (429/418); otherwise exponential backoff with jitter
      const delayMs = retryAfterMs ?? jittered;
      this.opts.onRetry?.({ url, attempt: attempt + 1, delayMs, reason: lastReason });
      await this.clock.sleep(delayMs);
    }
  }

  private async requestOnce(url: string, symbol: string, timeoutMs = this.timeoutMs): Promise<Kline[]> {
    this.requests++;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(url, { signal: AbortSignal.timeout(Math.max(1, timeoutMs)) });
      const used = res.headers.get('x-mbx-used-weight-1m');
      if (used !== null) this.limiter.observeUsedWeight(Number(used));
      text = await res.text();
    } catch (e) {
      const err = e as Error & { code?: string; cause?: { code?: string; message?: string } };
      const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
      const code = err.cause?.code ?? err.code;
      const what = timedOut ? `timed out after ${Math.round(timeoutMs)} ms` : `${err.cause?.message ?? err.message}${code && !(err.cause?.message ?? '').includes(code) ? ` (${code})` : ''}`;
      throw new RetryableError(what, null, !timedOut && code !== undefined && UNREACHABLE_CODES.has(code));
    }
    if (res.status === 429 || res.status === 418) {
      const ra = Number(res.headers.get('retry-after'));
      throw new RetryableError(`HTTP ${res.status} ${res.status === 418 ? '(IP banned for too many requests)' : '(rate limited)'}`, Number.isFinite(ra) && ra > 0 ? ra * 1000 : null);
    }
    if (res.status >= 500) throw new RetryableError(`HTTP ${res.status}`);
    if (res.status !== 200) {
      let body: { code?: number; msg?: string } = {};
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      if (body.code === -1121) throw new UserError(`Binance: unknown symbol ${symbol} at ${this.baseUrl} ("${body.msg ?? 'Invalid symbol.'}"); check data.coins and data.quote`);
      throw new UserError(`Binance ${url}: HTTP ${res.status}${body.msg ? ` ${body.code}: ${body.msg}` : ` ${text.slice(0, 200)}`}`);
    }
    return parseKlines(text);
  }

  /** Open time of the last candle that has closed by now (the current hour's candle is still changing). */
  lastClosedHour(): number {
    return Math.floor(this.clock.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
  }

  /** Fetches [startMs, endMs] page by page (startTime pagination); each page arrives with the range it fully answers. */
  async *pages(symbol: string, startMs: number, endMs: number): AsyncGenerator<KlinePage> {
    endMs = Math.min(endMs, this.lastClosedHour());
    let from = startMs;
    while (from <= endMs) {
      const rows = (await this.klines(symbol, from, endMs)).filter((k) => k.openTime >= from && k.openTime <= endMs);
      for (let i = 1; i < rows.length; i++)
        if (rows[i].openTime <= rows[i - 1].openTime) throw new Error(`Binance ${symbol}: klines out of order at ${rows[i].openTime}`);
      const full = rows.length >= KLINES_LIMIT;
      const coveredTo = full ? rows[rows.length - 1].openTime : endMs;
      yield { rows, from, coveredTo };
      if (!full) return;
      from = coveredTo + HOUR_MS;
    }
  }
}

/** Parses a klines JSON body (array of 12-field arrays, prices as strings); a malformed body is retryable. */
export function parseKlines(text: string): Kline[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new RetryableError(`invalid JSON body (${text.length} bytes: ${text.slice(0, 60)}...)`);
  }
  if (!Array.isArray(data)) throw new RetryableError(`unexpected body (expected an array of klines): ${text.slice(0, 80)}`);
  const out: Kline[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const r = data[i];
    if (!Array.isArray(r) || r.length < 7) throw new RetryableError(`kline ${i}: expected an array of 12 fields, got ${JSON.stringify(r).slice(0, 80)}`);
    const k: Kline = { openTime: Number(r[0]), open: Number(r[1]), high: Number(r[2]), low: Number(r[3]), close: Number(r[4]), volume: Number(r[5]), closeTime: Number(r[6]) };
    if (![k.openTime, k.open, k.high, k.low, k.close, k.volume].every(Number.isFinite) || k.openTime % HOUR_MS !== 0)
      throw new RetryableError(`kline ${i}: not a valid hourly candle: ${JSON.stringify(r).slice(0, 120)}`);
    out[i] = k;
  }
  return out;
}
