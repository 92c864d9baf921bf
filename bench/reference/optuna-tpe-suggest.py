# Optuna reference for bench/tpe-suggest.ts: the same 10-parameter space, history sizes and timing (median wall and CPU ms
# per ask after warm-up). Run: python3 bench/reference/optuna-tpe-suggest.py (needs `pip install optuna`).
import time, math, statistics, random, warnings, sys
import optuna
warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
from optuna.distributions import FloatDistribution as F, IntDistribution as I, CategoricalDistribution as C
SPACE = {
  "lr": F(1e-5, 1e-1, log=True), "wd": F(1e-6, 1e-2, log=True), "dropout": F(0, 0.5), "layers": I(1, 8),
  "width": I(16, 1024, log=True), "warmup": I(0, 2000, step=100), "ls": F(0, 0.2, step=0.05), "d_model": I(64, 512, step=32),
  "opt": C(["adam", "sgd", "rmsprop"]), "act": C(["relu", "gelu", "silu", "tanh"]),
}
def loss(p):
  return (math.log10(p["lr"]) + 3) ** 2 + (p["dropout"] - 0.1) ** 2 + 0.1 * (p["layers"] - 4) ** 2 + 0.01 * math.log2(p["width"]) \
    + (0 if p["opt"] == "adam" else 0.3) + 0.0001 * p["warmup"] + p["ls"] + p["d_model"] / 5000 + (0 if p["act"] == "gelu" else 0.1) + 0.01 * abs(math.log10(p["wd"]) + 4)
for n in (100, 1000):
  for mv in (True, False):
    storage = optuna.storages.InMemoryStorage()
    filler = optuna.create_study(storage=storage, study_name="b", sampler=optuna.samplers.RandomSampler(seed=1))
    for _ in range(n):
      t = filler.ask(SPACE); filler.tell(t, loss(t.params))
    study = optuna.load_study(storage=storage, study_name="b", sampler=optuna.samplers.TPESampler(seed=2, multivariate=mv))
    wall, cpu = [], []
    for i in range(5 + 15):
      w0, c0 = time.perf_counter(), time.process_time()
      t = study.ask(SPACE)
      w1, c1 = time.perf_counter(), time.process_time()
      study.tell(t, state=optuna.trial.TrialState.FAIL)
      if i >= 5: wall.append((w1 - w0) * 1000); cpu.append((c1 - c0) * 1000)
    print(f'{{"name":"optuna-{optuna.__version__}-tpe-suggest-{n}-{"multivariate" if mv else "independent"}","median_ms":{statistics.median(wall):.3f},"median_cpu_ms":{statistics.median(cpu):.3f}}}', flush=True)
