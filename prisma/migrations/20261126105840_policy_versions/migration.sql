-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workflowId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "investor" TEXT NOT NULL,
    "investorOrigin" TEXT NOT NULL,
    "industryChain" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "plannedInvestmentWan" REAL NOT NULL,
    "foreignInvestmentUsd" REAL,
    "landMu" REAL,
    "expectedJobs" INTEGER,
    "expectedAnnualTaxWan" REAL,
    "sourceUnitId" TEXT NOT NULL,
    "landingSiteId" TEXT,
    "responsibleUnitId" TEXT,
    "isMajor" BOOLEAN NOT NULL DEFAULT false,
    "isCaseByCase" BOOLEAN NOT NULL DEFAULT false,
    "stage" TEXT NOT NULL,
    "stageSince" DATETIME NOT NULL,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "policy" JSONB NOT NULL,
    "policyVersion" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "lastSeq" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_Project" ("channel", "createdAt", "createdBy", "escalationLevel", "expectedAnnualTaxWan", "expectedJobs", "foreignInvestmentUsd", "id", "industryChain", "investor", "investorOrigin", "isCaseByCase", "isMajor", "landMu", "landingSiteId", "lastSeq", "name", "plannedInvestmentWan", "policy", "responsibleUnitId", "sourceUnitId", "stage", "stageSince", "updatedAt", "workflowId") SELECT "channel", "createdAt", "createdBy", "escalationLevel", "expectedAnnualTaxWan", "expectedJobs", "foreignInvestmentUsd", "id", "industryChain", "investor", "investorOrigin", "isCaseByCase", "isMajor", "landMu", "landingSiteId", "lastSeq", "name", "plannedInvestmentWan", "policy", "responsibleUnitId", "sourceUnitId", "stage", "stageSince", "updatedAt", "workflowId" FROM "Project";
DROP TABLE "Project";
ALTER TABLE "new_Project" RENAME TO "Project";
CREATE UNIQUE INDEX "Project_workflowId_key" ON "Project"("workflowId");
CREATE INDEX "Project_stage_idx" ON "Project"("stage");
CREATE INDEX "Project_landingSiteId_idx" ON "Project"("landingSiteId");
CREATE INDEX "Project_responsibleUnitId_idx" ON "Project"("responsibleUnitId");
CREATE INDEX "Project_industryChain_idx" ON "Project"("industryChain");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
