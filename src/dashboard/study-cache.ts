// Keeps the last snapshot of each study and re-reads it only when the storage's change signature moved, so a
// 10,000-trial study is read once per change instead of once per request; derived views are memoised per snapshot.
// A re-read is incremental: a finished trial (COMPLETE, PRUNED, FAIL) never changes, so only new trials and those
// that were running or waiting are read again; a trial that disappeared makes it read everything.
import { NotFoundError } from '../tune/storage/storage.ts';
import { isFinished, type FrozenTrial, type TrialState } from '../tune/frozen-trial.ts';
import type { DashboardStorage } from './storage.ts';
import type { StudySnapshot } from './study-view.ts';

interface Entry { snap: StudySnapshot; derived: Map<string, unknown> }

/** Above this many trials to read again, one read of the whole study is cheaper than reading them one by one. */
const MAX_INCREMENTAL = 200;

/** Snapshots of the studies of one storage. */
export class StudyCache {
  private entries = new Map<number, Entry>();
  private loading = new Map<number, Promise<Entry>>();
  private slow = new Map<string, { at: number; value: unknown }>();

  constructor(readonly ds: DashboardStorage) {}

  /** Ids and names of all studies, in id order. */
  async studyIds(): Promise<number[]> {
    return (await this.ds.storage.getAllStudies()).map((s) => s.studyId);
  }

  /** The current snapshot of study `id` (NotFoundError when it does not exist). */
  async snapshot(id: number): Promise<StudySnapshot> {
    return (await this.entry(id)).snap;
  }

  /**
   * `fn(snapshot)`, computed once per snapshot under `key`. With `reuseForMs`, a value computed for an earlier
   * snapshot less than that long ago is kept (for views too slow to recompute on every told trial: importance).
   */
  async derived<T>(id: number, key: string, fn: (s: StudySnapshot) => T, opts: { reuseForMs?: number } = {}): Promise<{ snap: StudySnapshot; value: T }> {
    const e = await this.entry(id);
    if (!e.derived.has(key)) {
      const slowKey = `${id}\n${key}`;
      const last = this.slow.get(slowKey);
      if (opts.reuseForMs && last && Date.now() - last.at < opts.reuseForMs) e.derived.set(key, last.value);
      else {
        const value = fn(e.snap);
        e.derived.set(key, value);
        if (opts.reuseForMs) this.slow.set(slowKey, { at: Date.now(), value });
      }
    }
    return { snap: e.snap, value: e.derived.get(key) as T };
  }

  /** The storage's signature for the study, without reading its trials. */
  signature(id: number): Promise<string> {
    return this.ds.studySignature(id);
  }

  private async entry(id: number): Promise<Entry> {
    const sig = await this.ds.studySignature(id);
    const have = this.entries.get(id);
    if (have && have.snap.signature === sig && sig !== '') return have;
    let p = this.loading.get(id);
    if (!p) {
      p = this.load(id, sig).finally(() => this.loading.delete(id));
      this.loading.set(id, p);
    }
    return p;
  }

  private async load(id: number, sig: string): Promise<Entry> {
    const st = this.ds.storage;
    const studies = await st.getAllStudies();
    const s = studies.find((x) => x.studyId === id);
    if (!s) {
      this.entries.delete(id);
      throw new NotFoundError(`no study with id ${id}`);
    }
    const trials = (await this.changedTrials(id)) ?? (await st.getAllTrials(id));
    const e: Entry = {
      snap: { id, name: s.studyName, directions: s.directions, userAttrs: s.userAttrs, systemAttrs: s.systemAttrs, trials, signature: sig },
      derived: new Map(),
    };
    this.entries.set(id, e);
    return e;
  }

  /** The study's trials reusing the finished ones of the last snapshot; null when a full read is needed. */
  private async changedTrials(id: number): Promise<FrozenTrial[] | null> {
    const prev = this.entries.get(id);
    if (!prev) return null;
    const have = new Map(prev.snap.trials.map((t) => [t.trialId, t]));
    const rows = await this.ds.trialStates(id);
    if (rows.length < have.size) return null;
    const stale = rows.filter((r) => {
      const t = have.get(r.id);
      return !t || !isFinished(t.state) || t.state !== (r.state as TrialState);
    });
    if (stale.length > MAX_INCREMENTAL) return null;
    const seen = new Set(rows.map((r) => r.id));
    for (const t of prev.snap.trials) if (!seen.has(t.trialId)) return null;
    const fresh = new Map<number, FrozenTrial>();
    for (const r of stale) fresh.set(r.id, await this.ds.storage.getTrial(r.id));
    return rows.map((r) => fresh.get(r.id) ?? have.get(r.id)!).sort((a, b) => a.number - b.number);
  }
}
