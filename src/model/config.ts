// The model's shape and loss knobs, named with the letters of docs/model.md#notation, and their validation.
import { UserError } from '../util/errors.ts';

/** Everything that fixes the model's parameter shapes and its loss (docs/model.md#forward-pass and #loss). */
export interface ModelConfig {
  /** V: token vocabulary per channel */
  V: number;
  /** O: output classes (the target coin's price token), usually V */
  O: number;
  /** C: coins per hour */
  C: number;
  /** K: channels per coin (0 = price, 1 = volume); 1 or 2 */
  K: number;
  /** T: input hours per window (the longest window the model accepts) */
  T: number;
  /** e: embedding size per channel */
  e: number;
  /** d: model width */
  d: number;
  /** H: attention heads; d must divide by H */
  H: number;
  /** N: transformer blocks */
  N: number;
  /** F: feed-forward width */
  F: number;
  /** dropout after positions and on both residual branches (0 = off) */
  dropout: number;
  coin_mixing: 'concat' | 'mean';
  loss_positions: 'all' | 'last';
  label_smoothing: number;
  /** index in [0, C) of the coin whose next price token is predicted */
  target_coin: number;
}

/** The channel names, in k order, that name the embedding tables (`embed.price`, `embed.volume`). */
export const CHANNELS = ['price', 'volume'] as const;

/** Checks a ModelConfig and returns it; throws a UserError naming the bad field and what was expected. */
export function validateModelConfig(cfg: ModelConfig, where = 'model config'): ModelConfig {
  const bad = (key: string, want: string): never => {
    throw new UserError(`${where}: ${key} must be ${want}, got ${JSON.stringify((cfg as unknown as Record<string, unknown>)[key])}`);
  };
  for (const key of ['V', 'O', 'C', 'T', 'e', 'd', 'H', 'N', 'F'] as const) {
    if (!Number.isInteger(cfg[key]) || cfg[key] < 1) bad(key, 'a positive integer');
  }
  if (!Number.isInteger(cfg.K) || cfg.K < 1 || cfg.K > CHANNELS.length) bad('K', `1 or ${CHANNELS.length} (price, volume)`);
  if (cfg.d % cfg.H !== 0) bad('H', `a divisor of d = ${cfg.d}`);
  if (cfg.d % 2 !== 0) bad('d', 'even (the sinusoidal table pairs sin and cos)');
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) bad('dropout', 'in [0, 1)');
  if (!(cfg.label_smoothing >= 0 && cfg.label_smoothing < 1)) bad('label_smoothing', 'in [0, 1)');
  if (cfg.coin_mixing !== 'concat' && cfg.coin_mixing !== 'mean') bad('coin_mixing', '"concat" or "mean"');
  if (cfg.loss_positions !== 'all' && cfg.loss_positions !== 'last') bad('loss_positions', '"all" or "last"');
  if (!Number.isInteger(cfg.target_coin) || cfg.target_coin < 0 || cfg.target_coin >= cfg.C) bad('target_coin', `an index in [0, ${cfg.C})`);
  // with loss on all positions, input price tokens (< V) become targets, so they must be valid classes
  if (cfg.loss_positions === 'all' && cfg.O < cfg.V) bad('O', `>= V = ${cfg.V} when loss_positions is "all"`);
  return cfg;
}

/** Width of the fusion input: C*K*e for concat, K*e for mean (docs/model.md#fusion). */
export function fuseInputWidth(cfg: ModelConfig): number {
  return cfg.coin_mixing === 'concat' ? cfg.C * cfg.K * cfg.e : cfg.K * cfg.e;
}
