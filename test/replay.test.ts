// Determinism: the recorded histories of the pipeline's scenarios and of the county calendar (both of
// its runs around the yearly continue-as-new) (test/fixtures/histories, made by
// `npm run record-histories`) replay against the current workflow code without a non-determinism
// error. A change that breaks this must be versioned (patched), not re-recorded. working-days-table-changed
// pinned the holiday table of the chinese-days installed when it was recorded and took a newer one from the
// 月研判: it replays under whatever table is installed now (§4 工作日).
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../harness/temporal';

const DIR = path.join(__dirname, 'fixtures', 'histories');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('replay of recorded histories', () => {
  it('has the recorded scenarios', () => {
    expect(files).toEqual([
      'case-by-case-deferred-to-production.json', 'completions-answered-by-one-workflow-task.json', 'completions-published-after-the-write.json',
      'county-calendar-meetings-1.json', 'county-calendar-meetings.json', 'ladder-to-level-4.json',
      'monthly-progress-by-fan-out.json', 'plain-to-production.json', 'returns.json', 'side-actions-terminated.json', 'working-days-table-changed.json',
    ]);
  });

  it.each(files)('replays %s', async (file) => {
    const history = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    expect(history.events.length).toBeGreaterThan(50);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file.replace(/(-\d+)?\.json$/, ''));
  });
});
