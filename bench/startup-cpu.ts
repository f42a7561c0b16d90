/**
 * Start-up CPU time of the Worker as Cloudflare limits it: `wrangler check startup` bundles the Worker as
 * `wrangler deploy` would, loads it in workerd under V8's sampling profiler and writes a .cpuprofile.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWrangler } from '../scripts/dev-server.ts';

/** A V8 .cpuprofile, the parts read here and in bench/limits.ts. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * Milliseconds of the profile not spent idle. "(program)" (V8 and workerd native work, e.g. compiling) and
 * "(garbage collector)" count: both are CPU the isolate burns while starting, and Cloudflare's limit is on CPU,
 * not on JS alone. This is also what wrangler prints as "Active".
 */
export function activeMs(profile: Pick<CpuProfile, 'nodes' | 'samples' | 'timeDeltas'>): number {
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
  const dir = mkdtempSync(join(tmpdir(), 'startup-cpu-'));
  const times: number[] = [];
  let profile = '';
  for (let run = 1; run <= runs; run++) {
    const outfile = join(dir, `startup-${run}.cpuprofile`);
    const output = await runWrangler(['check', 'startup', '--outfile', outfile]);
    times.push(activeMs(JSON.parse(readFileSync(outfile, 'utf8')) as CpuProfile));
    if (profile) rmSync(profile);
    profile = outfile;
    // wrangler's own summary, as a check on the sum above.
    const printed = /Active: ([\d.]+ \w+)/.exec(output)?.[1];
    const check = printed ? ` (wrangler: ${printed})` : '';
    log?.(`startup CPU ${run}/${runs}: ${times.at(-1)!.toFixed(1)} ms active${check}`);
  }
  return { activeMs: times, profile };
}
