// The workflow bundle built once ahead (issue 14, 3a): `npm run build:workflows` writes it, and a
// worker started with WORKFLOW_BUNDLE=<file> loads it in a moment instead of bundling the workflows at
// every start (≈ 12 s, which would stretch every restart). The Dockerfile and production:local build it.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PROJECT_ROOT } from '../runtime/config';
import { BUNDLE_OPTIONS } from './create';

export const DEFAULT_BUNDLE_FILE = path.join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');

/** Bundles the workflows into `file` (written whole, then renamed: a worker never reads half of one). */
export async function buildWorkflowBundle(file = DEFAULT_BUNDLE_FILE): Promise<{ file: string; bytes: number; ms: number }> {
  const started = Date.now();
  const quiet = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };
  const { code } = await bundleWorkflowCode({ ...BUNDLE_OPTIONS, logger: quiet as never });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, file);
  return { file, bytes: Buffer.byteLength(code), ms: Date.now() - started };
}

