// `npm run build:workflows [file]`: the workflow bundle, built once ahead (worker/bundle.ts); default
// file dist/workflow-bundle.js.
import path from 'node:path';
import { buildWorkflowBundle } from '../worker/bundle';

if (require.main === module) {
  buildWorkflowBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined).then(
    (r) => console.log(`workflow bundle: ${path.relative(process.cwd(), r.file)} (${(r.bytes / 1024).toFixed(0)} KB, ${(r.ms / 1000).toFixed(1)} s); start workers with WORKFLOW_BUNDLE=${r.file}`),
    (e) => { console.error(e); process.exit(1); },
  );
}
