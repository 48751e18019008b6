-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Unit" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "subcategory" TEXT,
    "sortOrder" INTEGER NOT NULL,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "unitId" TEXT,
    "position" TEXT,
    "passwordHash" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PersonRole" (
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "PersonRole_pkey" PRIMARY KEY ("personId","role")
);

-- CreateTable
CREATE TABLE "TaskForce" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "leadUnitId" TEXT NOT NULL,

    CONSTRAINT "TaskForce_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "TaskForceMembership" (
    "taskForceCode" TEXT NOT NULL,
    "personId" TEXT NOT NULL,

    CONSTRAINT "TaskForceMembership_pkey" PRIMARY KEY ("taskForceCode","personId")
);

-- CreateTable
CREATE TABLE "ProjectCounter" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "ProjectCounter_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "investor" TEXT NOT NULL,
    "investorOrigin" TEXT NOT NULL,
    "industryChain" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "plannedInvestmentWan" DOUBLE PRECISION NOT NULL,
    "foreignInvestmentUsd" DOUBLE PRECISION,
    "landMu" DOUBLE PRECISION,
    "expectedJobs" INTEGER,
    "expectedAnnualTaxWan" DOUBLE PRECISION,
    "sourceUnitId" TEXT NOT NULL,
    "landingSiteId" TEXT,
    "responsibleUnitId" TEXT,
    "isMajor" BOOLEAN NOT NULL DEFAULT false,
    "isCaseByCase" BOOLEAN NOT NULL DEFAULT false,
    "stage" TEXT NOT NULL,
    "stageSince" TIMESTAMP(3) NOT NULL,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "policy" JSONB NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "candidateGroup" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3) NOT NULL,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT,
    "comment" TEXT,
    "data" JSONB,
    "completedBy" TEXT,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimelineEvent" (
    "id" SERIAL NOT NULL,
    "projectId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "taskId" TEXT,
    "taskType" TEXT,
    "outcome" TEXT,
    "comment" TEXT,
    "data" JSONB,

    CONSTRAINT "TimelineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "projectId" TEXT,
    "taskId" TEXT,
    "kind" TEXT NOT NULL,
    "level" INTEGER NOT NULL DEFAULT 0,
    "recipients" JSONB NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Trip" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "leadsFound" INTEGER NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Trip_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UnitRanking" (
    "year" INTEGER NOT NULL,
    "unitId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "rank" INTEGER NOT NULL,
    "detail" JSONB NOT NULL,

    CONSTRAINT "UnitRanking_pkey" PRIMARY KEY ("year","unitId")
);

-- CreateTable
CREATE TABLE "Indicator" (
    "year" INTEGER NOT NULL,
    "outOfProvinceCapitalWan" DOUBLE PRECISION,
    "foreignTradeWan" DOUBLE PRECISION,
    "actualForeignUsd" DOUBLE PRECISION,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Indicator_pkey" PRIMARY KEY ("year")
);

-- CreateIndex
CREATE UNIQUE INDEX "Unit_name_key" ON "Unit"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Person_username_key" ON "Person"("username");

-- CreateIndex
CREATE INDEX "PersonRole_role_idx" ON "PersonRole"("role");

-- CreateIndex
CREATE INDEX "TaskForceMembership_personId_idx" ON "TaskForceMembership"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_workflowId_key" ON "Project"("workflowId");

-- CreateIndex
CREATE INDEX "Project_stage_idx" ON "Project"("stage");

-- CreateIndex
CREATE INDEX "Project_landingSiteId_idx" ON "Project"("landingSiteId");

-- CreateIndex
CREATE INDEX "Project_responsibleUnitId_idx" ON "Project"("responsibleUnitId");

-- CreateIndex
CREATE INDEX "Project_industryChain_idx" ON "Project"("industryChain");

-- CreateIndex
CREATE INDEX "Task_candidateGroup_status_idx" ON "Task"("candidateGroup", "status");

-- CreateIndex
CREATE INDEX "Task_projectId_status_idx" ON "Task"("projectId", "status");

-- CreateIndex
CREATE INDEX "Task_type_idx" ON "Task"("type");

-- CreateIndex
CREATE INDEX "TimelineEvent_kind_at_idx" ON "TimelineEvent"("kind", "at");

-- CreateIndex
CREATE UNIQUE INDEX "TimelineEvent_projectId_seq_key" ON "TimelineEvent"("projectId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");

-- CreateIndex
CREATE INDEX "Notification_deliveredAt_idx" ON "Notification"("deliveredAt");

-- CreateIndex
CREATE INDEX "Trip_personId_startDate_idx" ON "Trip"("personId", "startDate");

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonRole" ADD CONSTRAINT "PersonRole_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskForce" ADD CONSTRAINT "TaskForce_leadUnitId_fkey" FOREIGN KEY ("leadUnitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskForceMembership" ADD CONSTRAINT "TaskForceMembership_taskForceCode_fkey" FOREIGN KEY ("taskForceCode") REFERENCES "TaskForce"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskForceMembership" ADD CONSTRAINT "TaskForceMembership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimelineEvent" ADD CONSTRAINT "TimelineEvent_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Trip" ADD CONSTRAINT "Trip_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
