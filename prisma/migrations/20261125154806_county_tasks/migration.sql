-- CreateTable
CREATE TABLE "ProjectionCursor" (
    "stream" TEXT NOT NULL PRIMARY KEY,
    "lastSeq" INTEGER NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Task" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workflowId" TEXT NOT NULL,
    "projectId" TEXT,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "stage" TEXT,
    "step" INTEGER NOT NULL DEFAULT 0,
    "context" JSONB,
    "candidateGroup" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "dueAt" DATETIME NOT NULL,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT,
    "comment" TEXT,
    "data" JSONB,
    "completedBy" TEXT,
    "completedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Task_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- existing tasks belong to projects: their workflow is the project's
INSERT INTO "new_Task" ("workflowId", "candidateGroup", "claimedAt", "claimedBy", "comment", "completedAt", "completedBy", "context", "createdAt", "data", "dueAt", "escalationLevel", "id", "outcome", "overdue", "projectId", "stage", "status", "step", "title", "type") SELECT "workflowId", "candidateGroup", "claimedAt", "claimedBy", "comment", "completedAt", "completedBy", "context", "createdAt", "data", "dueAt", "escalationLevel", "id", "outcome", "overdue", "projectId", "stage", "status", "step", "title", "type" FROM (SELECT t.*, (SELECT p."workflowId" FROM "Project" p WHERE p."id" = t."projectId") AS "workflowId" FROM "Task" t) AS "Task";
DROP TABLE "Task";
ALTER TABLE "new_Task" RENAME TO "Task";
CREATE INDEX "Task_candidateGroup_status_idx" ON "Task"("candidateGroup", "status");
CREATE INDEX "Task_projectId_status_idx" ON "Task"("projectId", "status");
CREATE INDEX "Task_workflowId_idx" ON "Task"("workflowId");
CREATE INDEX "Task_type_idx" ON "Task"("type");
CREATE TABLE "new_TimelineEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workflowId" TEXT NOT NULL,
    "projectId" TEXT,
    "seq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "taskId" TEXT,
    "taskType" TEXT,
    "outcome" TEXT,
    "comment" TEXT,
    "data" JSONB,
    CONSTRAINT "TimelineEvent_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_TimelineEvent" ("workflowId", "actor", "at", "comment", "data", "id", "kind", "outcome", "projectId", "seq", "taskId", "taskType") SELECT "workflowId", "actor", "at", "comment", "data", "id", "kind", "outcome", "projectId", "seq", "taskId", "taskType" FROM (SELECT e.*, (SELECT p."workflowId" FROM "Project" p WHERE p."id" = e."projectId") AS "workflowId" FROM "TimelineEvent" e) AS "TimelineEvent";
DROP TABLE "TimelineEvent";
ALTER TABLE "new_TimelineEvent" RENAME TO "TimelineEvent";
CREATE INDEX "TimelineEvent_workflowId_seq_idx" ON "TimelineEvent"("workflowId", "seq");
CREATE INDEX "TimelineEvent_kind_at_idx" ON "TimelineEvent"("kind", "at");
CREATE UNIQUE INDEX "TimelineEvent_projectId_seq_key" ON "TimelineEvent"("projectId", "seq");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
