-- CreateTable
CREATE TABLE "ProjectionFailure" (
    "id" SERIAL NOT NULL,
    "workflowId" TEXT NOT NULL,
    "projectId" TEXT,
    "firstSeq" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL,
    "kinds" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectionFailure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProjectionFailure_workflowId_idx" ON "ProjectionFailure"("workflowId");
