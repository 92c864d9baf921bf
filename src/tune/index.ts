// Public surface of tokcast's hyperparameter optimiser (re-exports only).
// Mirrors optuna's top-level API: createStudy/loadStudy, Trial, distributions, samplers, pruners, storages.
export {
  FloatDistribution, IntDistribution, CategoricalDistribution, distributionFromJson, distributionToJson, distributionsEqual,
  checkDistributionCompatibility,
} from './distributions.ts';
export type { Distribution, DistributionJson, ParamValue, CategoricalChoice } from './distributions.ts';
export { FrozenTrial, TRIAL_STATES, isFinished } from './frozen-trial.ts';
export type { TrialState, StudyDirection, JsonValue, FrozenTrialInit } from './frozen-trial.ts';
export { Trial, TrialPruned } from './trial.ts';
export { Study, createStudy, loadStudy, deleteStudy } from './study.ts';
export type { Objective, ObjectiveResult, OptimizeOptions, StudyOptions, CreateStudyOptions, FinishedState } from './study.ts';
export type { Sampler, StudyView } from './samplers/sampler.ts';
export { intersectionSearchSpace, groupDecomposedSearchSpace } from './samplers/sampler.ts';
export { RandomSampler } from './samplers/random.ts';
export { GridSampler } from './samplers/grid.ts';
export { QMCSampler } from './samplers/qmc.ts';
export type { QMCSamplerOptions } from './samplers/qmc.ts';
export { TPESampler } from './samplers/tpe/sampler.ts';
export type { TPESamplerOptions } from './samplers/tpe/sampler.ts';
export { createSampler, SAMPLER_CLASSES } from './samplers/factory.ts';
export type { Pruner, PrunerStudy } from './pruners/pruner.ts';
export { NopPruner } from './pruners/pruner.ts';
export { PercentilePruner } from './pruners/percentile.ts';
export type { PercentilePrunerOptions } from './pruners/percentile.ts';
export { MedianPruner } from './pruners/median.ts';
export { SuccessiveHalvingPruner } from './pruners/successive-halving.ts';
export type { SuccessiveHalvingPrunerOptions } from './pruners/successive-halving.ts';
export { HyperbandPruner } from './pruners/hyperband.ts';
export type { HyperbandPrunerOptions } from './pruners/hyperband.ts';
export { ThresholdPruner } from './pruners/threshold.ts';
export type { ThresholdPrunerOptions } from './pruners/threshold.ts';
export { PatientPruner } from './pruners/patient.ts';
export { createPruner, PRUNER_CLASSES } from './pruners/factory.ts';
export type { Storage, FrozenStudy, TrialTemplate } from './storage/storage.ts';
export { StorageError, NotFoundError, DuplicatedStudyError, UpdateFinishedTrialError } from './storage/storage.ts';
export { InMemoryStorage } from './storage/memory.ts';
