-- DropForeignKey
ALTER TABLE "Task" DROP CONSTRAINT "Task_projectId_fkey";

-- DropForeignKey
ALTER TABLE "TimelineEvent" DROP CONSTRAINT "TimelineEvent_projectId_fkey";

-- AlterTable: existing rows belong to projects, whose workflow they get
ALTER TABLE "Task" ADD COLUMN     "workflowId" TEXT,
ALTER COLUMN "projectId" DROP NOT NULL;
UPDATE "Task" t SET "workflowId" = p."workflowId" FROM "Project" p WHERE p."id" = t."projectId";
ALTER TABLE "Task" ALTER COLUMN "workflowId" SET NOT NULL;
ALTER TABLE "Task" ALTER COLUMN "stage" DROP NOT NULL;

-- AlterTable
ALTER TABLE "TimelineEvent" ADD COLUMN     "workflowId" TEXT,
ALTER COLUMN "projectId" DROP NOT NULL;
UPDATE "TimelineEvent" e SET "workflowId" = p."workflowId" FROM "Project" p WHERE p."id" = e."projectId";
ALTER TABLE "TimelineEvent" ALTER COLUMN "workflowId" SET NOT NULL;

-- CreateTable
CREATE TABLE "ProjectionCursor" (
    "stream" TEXT NOT NULL,
    "lastSeq" INTEGER NOT NULL,

    CONSTRAINT "ProjectionCursor_pkey" PRIMARY KEY ("stream")
);

-- CreateIndex
CREATE INDEX "Task_workflowId_idx" ON "Task"("workflowId");

-- CreateIndex
CREATE INDEX "TimelineEvent_workflowId_seq_idx" ON "TimelineEvent"("workflowId", "seq");

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimelineEvent" ADD CONSTRAINT "TimelineEvent_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;
