// MedianPruner: PercentilePruner at the 50th percentile.
// Follows optuna/pruners/_median.py.
import { PercentilePruner, type PercentilePrunerOptions } from './percentile.ts';

/** Prunes a trial whose best value so far is worse than the median of completed trials at the same step. */
export class MedianPruner extends PercentilePruner {
  constructor(opts: PercentilePrunerOptions = {}) {
    super(50, opts);
  }
}
