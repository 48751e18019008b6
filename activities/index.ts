// Activities: the only code that writes the database on behalf of workflows.
import type { Db } from '../db/client';
import type { ProjectionEvent } from '../domain/events';
import { applyProjectionEvents } from './projection';

export function createActivities(db: Db) {
  return {
    /** Writes a batch of a project workflow's projection events, each exactly once. */
    async applyProjection(workflowId: string, events: ProjectionEvent[]): Promise<{ applied: number }> {
      return applyProjectionEvents(db, workflowId, events);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
