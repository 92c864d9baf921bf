// `tokcast pipeline status`: the artifacts folder's run profile and every step's state (done / stale / missing).
import { loadConfig } from '../../config/load.ts';
import { folderStatus, type FolderStatus } from '../../pipeline/status.ts';
import { runProfilePath } from '../../pipeline/run-profile.ts';
import { STEP_DIRS } from '../../pipeline/artifact.ts';

/** The status as the lines the command prints. */
export function formatStatus(artifactsDir: string, s: FolderStatus): string[] {
  const out: string[] = [];
  const p = s.profile;
  if (s.profileError) out.push(`run profile: ${s.profileError}`);
  else if (!p) out.push(`run profile: none (${runProfilePath(artifactsDir)} is written by \`tokcast pipeline download\`)`);
  else {
    out.push(`run profile (${runProfilePath(artifactsDir)}):`);
    const src = p.source === 'csv' ? `csv ${p.data_dir}` : p.source === 'binance' ? `binance ${p.binance_url}` : `synthetic (seed ${p.synthetic_seed})`;
    out.push(`  source       ${src}`);
    if (p.data_files.length) out.push(`  data files   ${p.data_files.length} (sha256 of the list ${p.data_hash.slice(0, 16)})`);
    out.push(`  coins        ${p.coins.join(', ')} (target ${p.target_coin})`);
    out.push(`  dates        ${p.start} .. ${p.end} (${p.first_hour} .. ${p.last_hour})`);
    out.push(`  config hash  ${p.config_hash}`);
    out.push(`  written by   tokcast ${p.tool_version} at ${p.created_at}`);
  }
  if (s.lock === 'unreadable') out.push('lock: a lock file that cannot be read');
  else if (s.lock) out.push(`lock: held by pid ${s.lock.pid} on ${s.lock.host} (\`${s.lock.command}\`, since ${s.lock.started_at})`);
  out.push('steps:');
  for (const st of s.steps) {
    const when = st.created_at ? ` ${st.created_at}` : '';
    out.push(`  ${STEP_DIRS[st.step].padEnd(18)} ${st.state.padEnd(8)}${when}${st.why ? ` (${st.why})` : ''}`);
  }
  return out;
}

/** Prints the status of the folder `--artifacts-dir` (or the config's artifacts_dir). */
export function printStatus(f: { config: string; artifactsDir?: string }): void {
  const dir = f.artifactsDir ?? loadConfig(f.config).artifacts_dir;
  process.stdout.write(formatStatus(dir, folderStatus(dir)).join('\n') + '\n');
}
