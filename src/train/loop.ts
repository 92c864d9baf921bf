// The training loop (docs/model.md#training-schedule): seeded shuffling, warmup + ReduceLROnPlateau, early stopping, best/last
// checkpoints through callbacks, per-epoch history, and resumption at an epoch boundary. The engine does the math.
import { Rng } from '../util/rng.ts';
import { initialSchedule, lrAt, endOfEpoch, type ScheduleConfig, type ScheduleState } from './schedule.ts';

/** A dataset of windows: x (N, T, C, K) tokens, y (N,) next-hour targets. */
export interface WindowSet { x: Uint8Array; y: Uint8Array; N: number; rowSize: number /* T*C*K */ }

/** What the loop needs from the model engine (onnxruntime training-step graph). */
export interface TrainEngine {
  /** one optimiser step on a batch; returns the batch's loss, last-position accuracy and pre-clip gradient norm */
  trainStep(x: Uint8Array, y: Uint8Array, B: number, lr: number): Promise<{ loss: number; acc: number; gradNorm: number }>;
  /** mean loss and accuracy of a batch without updating; nll = plain cross-entropy of the last position (no smoothing) */
  evalBatch(x: Uint8Array, y: Uint8Array, B: number): Promise<{ loss: number; acc: number; nll?: number }>;
}

export interface EpochRecord {
  epoch: number; train_loss: number; train_acc: number; val_loss: number; val_acc: number;
  /** last-position cross-entropy without label smoothing: comparable across smoothing settings (tuning's objective) */
  val_nll: number;
  lr: number; grad_norm: number; seconds: number; samples_per_s: number; improved: boolean;
}

export interface LoopState {
  epoch: number;          // epochs completed
  globalStep: number;
  schedule: ScheduleState;
  history: EpochRecord[];
  bestValLoss: number;
  bestEpoch: number;
  stoppedEarly: boolean;
}

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  shuffle: boolean;
  schedule: ScheduleConfig;
  /** augmentation: chance to replace an input token by a uniform random one (never the target's price channel) */
  tokenNoise?: { prob: number; V: number; protectedOffsets: number[] /* within an hour row: target price */; hourSize: number };
  resume?: LoopState;
  signal?: AbortSignal;
  /** called after every epoch with the new state; save checkpoints here (best when record.improved) */
  onEpochEnd?: (record: EpochRecord, state: LoopState) => Promise<void>;
  /** return true to stop after this epoch (e.g. a pruner) */
  shouldStop?: (record: EpochRecord) => Promise<boolean> | boolean;
  onBatch?: (done: number, total: number, loss: number) => void;
}

export function initialLoopState(schedule: ScheduleConfig): LoopState {
  return { epoch: 0, globalStep: 0, schedule: initialSchedule(schedule), history: [], bestValLoss: Infinity, bestEpoch: -1, stoppedEarly: false };
}

/** Runs epochs until `epochs`, early stopping or shouldStop; returns the final state. */
export async function trainLoop(engine: TrainEngine, train: WindowSet, val: WindowSet, o: LoopOptions): Promise<LoopState> {
  let state = o.resume ? structuredClone(o.resume) : initialLoopState(o.schedule);
  if (state.stoppedEarly) return state;
  const B = Math.min(o.batchSize, train.N);
  if (B <= 0) throw new Error('training set is empty');
  const stepsPerEpoch = Math.floor(train.N / B); // the last partial batch is dropped (drop_last), reshuffled next epoch
  const xb = new Uint8Array(B * train.rowSize), yb = new Uint8Array(B);
  for (let epoch = state.epoch; epoch < o.epochs; epoch++) {
    const t0 = performance.now();
    // the permutation depends only on (seed, epoch): a resumed run sees the same batches
    const order = Int32Array.from({ length: train.N }, (_, i) => i);
    const rng = new Rng(o.seed * 1000003 + epoch);
    if (o.shuffle) rng.shuffle(order);
    let lossSum = 0, accSum = 0, normSum = 0, lr = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      if (o.signal?.aborted) throw new Error('training interrupted');
      for (let i = 0; i < B; i++) {
        const j = order[s * B + i];
        xb.set(train.x.subarray(j * train.rowSize, (j + 1) * train.rowSize), i * train.rowSize);
        yb[i] = train.y[j];
      }
      if (o.tokenNoise && o.tokenNoise.prob > 0) addTokenNoise(xb, o.tokenNoise, rng);
      lr = lrAt(o.schedule, state.schedule, state.globalStep, stepsPerEpoch);
      const r = await engine.trainStep(xb, yb, B, lr);
      if (!Number.isFinite(r.loss)) throw new Error(`training diverged: loss ${r.loss} at epoch ${epoch + 1}, step ${s + 1} (lr ${lr})`);
      lossSum += r.loss; accSum += r.acc; normSum += r.gradNorm;
      state.globalStep++;
      o.onBatch?.(s + 1, stepsPerEpoch, r.loss);
    }
    const v = await evaluateSet(engine, val, o.batchSize);
    const seconds = (performance.now() - t0) / 1000;
    const next = endOfEpoch(o.schedule, state.schedule, v.loss);
    const record: EpochRecord = {
      epoch: epoch + 1, train_loss: lossSum / stepsPerEpoch, train_acc: accSum / stepsPerEpoch, val_loss: v.loss, val_acc: v.acc, val_nll: v.nll,
      lr, grad_norm: normSum / stepsPerEpoch, seconds, samples_per_s: (stepsPerEpoch * B) / seconds, improved: next.improved,
    };
    state = {
      ...state, epoch: epoch + 1, schedule: next.state, history: [...state.history, record],
      bestValLoss: next.improved ? v.loss : state.bestValLoss, bestEpoch: next.improved ? epoch + 1 : state.bestEpoch,
      stoppedEarly: next.stop,
    };
    await o.onEpochEnd?.(record, state);
    if (next.stop) break;
    if (o.shouldStop && (await o.shouldStop(record))) break;
  }
  return state;
}

/** Mean loss and accuracy over a whole set, batch-size weighted. */
export async function evaluateSet(engine: TrainEngine, set: WindowSet, batchSize: number): Promise<{ loss: number; acc: number; nll: number }> {
  if (set.N === 0) return { loss: NaN, acc: NaN, nll: NaN };
  let loss = 0, acc = 0, nll = 0;
  for (let b0 = 0; b0 < set.N; b0 += batchSize) {
    const B = Math.min(batchSize, set.N - b0);
    const r = await engine.evalBatch(set.x.subarray(b0 * set.rowSize, (b0 + B) * set.rowSize), set.y.subarray(b0, b0 + B), B);
    loss += r.loss * B;
    acc += r.acc * B;
    nll += (r.nll ?? NaN) * B;
  }
  return { loss: loss / set.N, acc: acc / set.N, nll: nll / set.N };
}

function addTokenNoise(x: Uint8Array, n: NonNullable<LoopOptions['tokenNoise']>, rng: Rng): void {
  const prot = new Set(n.protectedOffsets);
  for (let i = 0; i < x.length; i++) {
    if (prot.has(i % n.hourSize)) continue;
    if (rng.random() < n.prob) x[i] = rng.int(n.V);
  }
}
