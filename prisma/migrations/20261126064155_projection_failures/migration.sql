-- CreateTable
CREATE TABLE "ProjectionFailure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workflowId" TEXT NOT NULL,
    "projectId" TEXT,
    "firstSeq" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL,
    "kinds" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "ProjectionFailure_workflowId_idx" ON "ProjectionFailure"("workflowId");
