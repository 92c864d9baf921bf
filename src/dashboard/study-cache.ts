// Keeps the last snapshot of each study and re-reads it only when the storage's change signature moved, so a
// 10,000-trial study is read once per change instead of once per request; derived views are memoised per snapshot.
import { NotFoundError } from '../tune/storage/storage.ts';
import type { DashboardStorage } from './storage.ts';
import type { StudySnapshot } from './study-view.ts';

interface Entry { snap: StudySnapshot; derived: Map<string, unknown> }

/** Snapshots of the studies of one storage. */
export class StudyCache {
  private entries = new Map<number, Entry>();
  private loading = new Map<number, Promise<Entry>>();

  constructor(readonly ds: DashboardStorage) {}

  /** Ids and names of all studies, in id order. */
  async studyIds(): Promise<number[]> {
    return (await this.ds.storage.getAllStudies()).map((s) => s.studyId);
  }

  /** The current snapshot of study `id` (NotFoundError when it does not exist). */
  async snapshot(id: number): Promise<StudySnapshot> {
    return (await this.entry(id)).snap;
  }

  /** `fn(snapshot)`, computed once per snapshot under `key`. */
  async derived<T>(id: number, key: string, fn: (s: StudySnapshot) => T): Promise<{ snap: StudySnapshot; value: T }> {
    const e = await this.entry(id);
    if (!e.derived.has(key)) e.derived.set(key, fn(e.snap));
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
    const trials = await st.getAllTrials(id);
    const e: Entry = {
      snap: { id, name: s.studyName, directions: s.directions, userAttrs: s.userAttrs, systemAttrs: s.systemAttrs, trials, signature: sig },
      derived: new Map(),
    };
    this.entries.set(id, e);
    return e;
  }
}
