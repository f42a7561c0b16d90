/**
 * Sizes: the model file and vocabulary (raw and gzip), and the Worker's upload as `npm run build` (wrangler
 * deploy --dry-run) reports it, total and gzip, against the Workers size limit. The dry run writes to a
 * temporary folder so it does not touch dist/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runWrangler } from '../scripts/dev-server.ts';
import type { ModelDir } from './models.ts';
import { kib, mib, seconds, table } from './stats.ts';
import { barChart } from './svg.ts';

/** Cloudflare's Worker size limit (developers.cloudflare.com/workers/platform/limits). */
export const WORKER_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export interface SizeFile {
  /** Which of the model's files: its scoring graph, its trace graph, its vocabulary. */
  role: 'scoring' | 'trace' | 'vocabulary';
  /** As the table names it, e.g. "model/sentiment.onnx". */
  name: string;
  bytes: number;
  gzipBytes: number;
}

export interface SizeResult {
  files: SizeFile[];
  upload: { totalBytes: number; gzipBytes: number; line: string };
  /** Files the dry run wrote (the bundle's modules). */
  bundle: { name: string; bytes: number }[];
  buildSeconds: number;
}

export async function measureSize(model: ModelDir): Promise<SizeResult> {
  const file = (role: SizeFile['role'], name: string): SizeFile => {
    const bytes = readFileSync(join(model.dir, name));
    return { role, name: `model/${name}`, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  };
  const { scoring, trace } = model.metadata.onnx;
  const files = [
    file('scoring', scoring.file),
    ...(trace ? [file('trace', trace.file)] : []),
    file('vocabulary', model.metadata.tokenizer.vocabFile),
  ];
  const outdir = mkdtempSync(join(tmpdir(), 'bench-dry-run-'));
  try {
    const start = performance.now();
    const output = await runWrangler(['deploy', '--dry-run', '--outdir', outdir]);
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

/** Bytes of the model's ONNX graphs (scoring and trace), as served. */
export const graphBytes = (s: SizeResult) =>
  s.files.filter((f) => f.role !== 'vocabulary').reduce((sum, f) => sum + f.bytes, 0);

export function renderSize(s: SizeResult, footer: string, charts: Record<string, string>): string[] {
  const limit = WORKER_SIZE_LIMIT_BYTES;
  const percent = (bytes: number) => `${((bytes / limit) * 100).toFixed(1)} %`;
  const rows = [
    ...s.files.map((f) => [f.name, kib(f.bytes), kib(f.gzipBytes), '']),
    [
      'Worker upload (`wrangler deploy --dry-run`)',
      kib(s.upload.totalBytes),
      kib(s.upload.gzipBytes),
      `${percent(s.upload.totalBytes)} / ${percent(s.upload.gzipBytes)}`,
    ],
  ];
  charts['size.svg'] = barChart({
    title: 'Size vs the 64 MiB Worker limit',
    unit: 'KiB',
    groups: [...s.files.map((f) => f.name.replace(/^model\//, '')), 'Worker upload'],
    series: [
      { name: 'raw', values: [...s.files.map((f) => f.bytes / 1024), s.upload.totalBytes / 1024] },
      { name: 'gzip', values: [...s.files.map((f) => f.gzipBytes / 1024), s.upload.gzipBytes / 1024] },
    ],
    log: true,
    line: { value: limit / 1024, label: '64 MiB limit' },
    footer,
  });
  return [
    '## Size',
    '',
    `The model's files (gzip: level 9, here), and the upload as the dry run prints it: \`${s.upload.line}\` ` +
      `(build ${seconds(s.buildSeconds)}). The limit is Cloudflare's Worker size limit of ${mib(limit)} ` +
      '(https://developers.cloudflare.com/workers/platform/limits/).',
    '',
    table(['what', 'size', 'gzip', 'of the limit'], rows),
    '',
    `What the bundle holds: ${s.bundle.map((b) => `${b.name} ${kib(b.bytes)}`).join(', ')}.`,
    '',
    '![Size](charts/size.svg)',
    '',
  ];
}
