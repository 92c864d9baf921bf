// `tokcast tune show`: the summary `pipeline tune` prints at its end, for any study in a storage; `tokcast tune apply`:
// the best params of the last tune (or of a named study) written into the config file (docs/tuning.md#the-tune-step).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../util/errors.ts';

interface ShowFlags { storage?: string; studyName?: string; artifactsDir: string }

interface ApplyFlags { config: string; artifactsDir: string; storage?: string; studyName?: string }

/** Adds `tokcast tune show` and `tokcast tune apply` to the program. */
export function registerTuneCommands(program: Command): void {
  const tune = program.command('tune').description('inspect tuning studies');
  tune.command('show')
    .description('best value and params, counts by state and top importances of a study')
    .option('--storage <url>', 'storage URL or SQLite path (env TOKCAST_STORAGE; default <artifacts-dir>/studies.db)')
    .option('--study-name <s>', 'study (default: the one step 6a of --artifacts-dir tuned, else the only study in the storage)')
    .option('--artifacts-dir <dir>', 'artifacts folder whose tuning study to show', 'artifacts')
    .action(async (f: ShowFlags) => {
      const { openStorage, redact } = await import('../../tune/storage/url.ts');
      const { studySummaryLines } = await import('../../pipeline/tuning/progress.ts');
      const { readJson } = await import('../../util/fs.ts');
      const { artifactPath } = await import('../../pipeline/artifact.ts');
      const url = f.storage ?? process.env.TOKCAST_STORAGE ?? join(f.artifactsDir, 'studies.db');
      if (!f.storage && !process.env.TOKCAST_STORAGE && !existsSync(url)) throw new UserError(`--storage: no study database at ${url}; pass --storage or --artifacts-dir`);
      const storage = await openStorage(url);
      try {
        let name = f.studyName;
        const tuned = artifactPath(f.artifactsDir, 'tune');
        if (!name && existsSync(tuned)) name = (readJson(tuned) as { stats?: { study_name?: string } }).stats?.study_name;
        if (!name) {
          const all = await storage.getAllStudies();
          if (all.length !== 1) throw new UserError(`--study-name: ${redact(url)} holds ${all.length} studies (${all.map((s) => s.studyName).join(', ') || 'none'}); name one`);
          name = all[0].studyName;
        }
        const id = await storage.getStudyIdFromName(name).catch(() => { throw new UserError(`--study-name: no study "${name}" in ${redact(url)}`); });
        const dirs = await storage.getStudyDirections(id);
        if (dirs.length !== 1) throw new UserError(`--study-name: "${name}" has ${dirs.length} objectives; tune show summarises single-objective studies (use \`tokcast study best-trials\`)`);
        for (const line of studySummaryLines(name, dirs[0], await storage.getAllTrials(id))) process.stdout.write(`${line}\n`);
      } finally {
        await storage.close();
      }
    });
  tune.command('apply')
    .description('write the best params of the last tune (tuning_results.json), or of --study-name, into the config file')
    .option('--config <path>', 'config file to update (comments and key order kept)', 'config.yaml')
    .option('--artifacts-dir <dir>', 'artifacts folder whose step 6a results to apply', 'artifacts')
    .option('--storage <url>', 'with --study-name: the storage holding it (default <artifacts-dir>/studies.db)')
    .option('--study-name <s>', 'apply the best COMPLETE trial of this study instead')
    .action(async (f: ApplyFlags) => {
      const { applyBestParams } = await import('../../pipeline/tuning/apply.ts');
      const { stepDir } = await import('../../pipeline/artifact.ts');
      let source: string | Record<string, import('../../tune/distributions.ts').ParamValue>;
      if (f.studyName) {
        const { openStorage, redact } = await import('../../tune/storage/url.ts');
        const url = f.storage ?? process.env.TOKCAST_STORAGE ?? join(f.artifactsDir, 'studies.db');
        const storage = await openStorage(url);
        try {
          const id = await storage.getStudyIdFromName(f.studyName).catch(() => { throw new UserError(`--study-name: no study "${f.studyName}" in ${redact(url)}`); });
          source = (await storage.getBestTrial(id).catch(() => { throw new UserError(`--study-name: "${f.studyName}" has no COMPLETE trial`); })).params;
        } finally {
          await storage.close();
        }
      } else {
        source = join(stepDir(f.artifactsDir, 'tune'), 'tuning_results.json');
        if (!existsSync(source)) throw new UserError(`${source}: missing; run \`tokcast pipeline tune\` first, or pass --study-name`);
      }
      const r = applyBestParams(f.config, source);
      for (const a of r.applied) process.stdout.write(`${a.key}: ${JSON.stringify(a.from)} -> ${JSON.stringify(a.to)}\n`);
      if (r.skipped.length) process.stderr.write(`tune apply: not config keys, skipped: ${r.skipped.join(', ')}\n`);
      process.stderr.write(`tune apply: wrote ${r.applied.length} params into ${f.config}\n`);
    });
}
