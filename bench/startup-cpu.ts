/**
 * Start-up CPU time of the Worker as Cloudflare limits it: `wrangler check startup` bundles the Worker as
 * `wrangler deploy` would, loads it in workerd under V8's sampling profiler and writes a .cpuprofile.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { OFFLINE_ENV, ROOT } from '../scripts/dev-server.ts';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
}

/**
 * Milliseconds of the profile not spent idle. "(program)" (V8 and workerd native work, e.g. compiling) and
 * "(garbage collector)" count: both are CPU the isolate burns while starting, and Cloudflare's limit is on CPU,
 * not on JS alone. This is also what wrangler prints as "Active".
 */
export function activeMs(profile: CpuProfile): number {
  const names = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  let micros = 0;
  profile.samples.forEach((sample, i) => {
    if (names.get(sample) !== '(idle)') micros += profile.timeDeltas[i] ?? 0;
  });
  return micros / 1000;
}

/** Runs `wrangler check startup` `runs` times; keeps only the last profile, for a look in DevTools. */
export async function measureStartupCpu(
  runs: number,
  log?: (line: string) => void,
): Promise<{ activeMs: number[]; profile: string }> {
  const bin = join(ROOT, 'node_modules', '.bin');
  const dir = mkdtempSync(join(tmpdir(), 'startup-cpu-'));
  const times: number[] = [];
  let profile = '';
  for (let run = 1; run <= runs; run++) {
    const outfile = join(dir, `startup-${run}.cpuprofile`);
    // node_modules/.bin first on PATH, as under npm: wrangler then runs on the project's Node, not the system's.
    const args = ['check', 'startup', '--outfile', outfile];
    const { stdout } = await promisify(execFile)(join(bin, 'wrangler'), args, {
      cwd: ROOT,
      env: { ...process.env, ...OFFLINE_ENV, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
      maxBuffer: 16 * 2 ** 20,
    });
    times.push(activeMs(JSON.parse(readFileSync(outfile, 'utf8')) as CpuProfile));
    if (profile) rmSync(profile);
    profile = outfile;
    // wrangler's own summary, as a check on the sum above.
    const printed = /Active: ([\d.]+ \w+)/.exec(stdout)?.[1];
    const check = printed ? ` (wrangler: ${printed})` : '';
    log?.(`startup CPU ${run}/${runs}: ${times.at(-1)!.toFixed(1)} ms active${check}`);
  }
  return { activeMs: times, profile };
}
