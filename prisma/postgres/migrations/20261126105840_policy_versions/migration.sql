-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "policyVersion" INTEGER NOT NULL DEFAULT 0;
