// The optimizer's hyper-parameters: plain data that training uses and a checkpoint records (docs/model.md#optimizer).
/** AdamW hyper-parameters; max_norm null = no clipping. */
export interface OptimConfig {
  /** peak learning rate (the step's lr is a graph input; this one is the default) */
  lr: number;
  weight_decay: number;
  beta1: number;
  beta2: number;
  eps: number;
  max_norm: number | null;
}

export const DEFAULT_OPTIM: OptimConfig = { lr: 1e-3, weight_decay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, max_norm: 1 };
