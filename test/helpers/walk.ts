// Drives a project along the happy path of §3 through the API: each pipeline task completed by a demo
// owner of its group, with the data given per task type, until the project reaches `until`.
import { expect } from 'vitest';
import { nextForwardStep } from '../../harness/pipeline';
import type { ApiEnv } from './api-env';

export async function walkProject(a: Pick<ApiEnv, 'call'>, id: string, until: string, data: Record<string, Record<string, unknown>> = {}) {
  let stage = '';
  for (let guard = 0; stage !== until && guard < 30; guard++) {
    const detail = await a.call('GET', `/api/v1/projects/${id}`, { as: 'admin' });
    const { task, by, body } = nextForwardStep(detail.body.openTasks, data)!;
    const done = await a.call('POST', `/api/v1/tasks/${task.id}/complete`, { as: by, body });
    expect(done.status, `${task.type}: ${JSON.stringify(done.body)}`).toBe(200);
    stage = done.body.stage;
  }
  expect(stage).toBe(until);
}
