// Learning-rate schedule and stopping rule: linear warmup by step, ReduceLROnPlateau (PyTorch semantics,
// mode min, relative threshold 1e-4, cooldown 0) and early stopping on validation loss. State is plain JSON for --resume.

export interface ScheduleConfig {
  lr: number; warmupEpochs: number; warmupStartLr: number;
  plateau: { factor: number; patience: number; min_lr: number };
  earlyStopping: { patience: number; min_delta: number };
}

export interface ScheduleState {
  baseLr: number;           // the LR after warmup, lowered by the plateau rule
  plateauBest: number;
  plateauBad: number;
  stopBest: number;
  stopBad: number;
  reductions: number;
}

export function initialSchedule(cfg: ScheduleConfig): ScheduleState {
  return { baseLr: cfg.lr, plateauBest: Infinity, plateauBad: 0, stopBest: Infinity, stopBad: 0, reductions: 0 };
}

/** LR for a step: linear from warmupStartLr to the base LR over the warmup steps, then the base LR. */
export function lrAt(cfg: ScheduleConfig, state: ScheduleState, globalStep: number, stepsPerEpoch: number): number {
  const warmupSteps = Math.round(cfg.warmupEpochs * stepsPerEpoch);
  if (globalStep < warmupSteps) {
    const f = (globalStep + 1) / warmupSteps;
    return cfg.warmupStartLr + f * (state.baseLr - cfg.warmupStartLr);
  }
  return state.baseLr;
}

/** Feeds one epoch's validation loss; returns whether it improved (best checkpoint), whether to stop, and the new state. */
export function endOfEpoch(cfg: ScheduleConfig, s: ScheduleState, valLoss: number): { state: ScheduleState; improved: boolean; stop: boolean; reduced: boolean } {
  const state = { ...s };
  // ReduceLROnPlateau: better means below best * (1 - 1e-4)
  let reduced = false;
  if (valLoss < state.plateauBest * (1 - 1e-4)) {
    state.plateauBest = valLoss;
    state.plateauBad = 0;
  } else if (++state.plateauBad > cfg.plateau.patience) {
    const next = Math.max(state.baseLr * cfg.plateau.factor, cfg.plateau.min_lr);
    if (state.baseLr - next > 1e-12) { state.baseLr = next; state.reductions++; reduced = true; }
    state.plateauBad = 0;
  }
  // early stopping: improvement must exceed min_delta
  const improved = valLoss < state.stopBest - cfg.earlyStopping.min_delta;
  if (improved) { state.stopBest = valLoss; state.stopBad = 0; } else state.stopBad++;
  return { state, improved, stop: state.stopBad >= cfg.earlyStopping.patience, reduced };
}
