/**
 * Sizes: the model file and vocabulary (raw and gzip), and the Worker's upload as `npm run build` (wrangler
 * deploy --dry-run) reports it, total and gzip, against the Workers size limit. The dry run writes to a
 * temporary folder so it does not touch dist/.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OFFLINE_ENV, ROOT } from '../scripts/dev-server.ts';
import type { ModelDir } from './models.ts';

/** Cloudflare's Worker size limit the issue measures against (developers.cloudflare.com/workers/platform/limits). */
export const WORKER_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export interface SizeResult {
  files: { name: string; bytes: number; gzipBytes: number }[];
  upload: { totalBytes: number; gzipBytes: number; line: string };
  /** Files the dry run wrote (the bundle's modules). */
  bundle: { name: string; bytes: number }[];
  buildSeconds: number;
}

function runDryRun(outdir: string): Promise<string> {
  const wrangler = join(dirname(createRequire(import.meta.url).resolve('wrangler')), '..', 'bin', 'wrangler.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir], {
      cwd: ROOT,
      env: { ...process.env, ...OFFLINE_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`wrangler deploy --dry-run exited with ${code}:\n${output}`)),
    );
  });
}

export async function measureSize(model: ModelDir): Promise<SizeResult> {
  const file = (name: string) => {
    const bytes = readFileSync(join(model.dir, name));
    return { name: `model/${name}`, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  };
  const { scoring, trace } = model.metadata.onnx;
  const files = [file(scoring.file), ...(trace ? [file(trace.file)] : []), file(model.metadata.tokenizer.vocabFile)];
  const outdir = mkdtempSync(join(tmpdir(), 'bench-dry-run-'));
  try {
    const start = performance.now();
    const output = await runDryRun(outdir);
    const buildSeconds = (performance.now() - start) / 1000;
    const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output);
    if (!match) throw new Error(`No "Total Upload: X KiB / gzip: Y KiB" line in the dry run's output:\n${output}`);
    const bundle = readdirSync(outdir)
      .filter((name) => name !== 'README.md')
      .map((name) => ({ name: name.replace(/^[0-9a-f]{40}-/, ''), bytes: statSync(join(outdir, name)).size }))
      .sort((a, b) => b.bytes - a.bytes);
    return {
      files,
      upload: { totalBytes: Number(match[1]) * 1024, gzipBytes: Number(match[2]) * 1024, line: match[0] },
      bundle,
      buildSeconds,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
