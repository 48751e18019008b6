-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "partnerId" TEXT,
ADD COLUMN     "pitchId" TEXT;

-- CreateTable
CREATE TABLE "Site" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "areaMu" DOUBLE PRECISION NOT NULL,
    "location" TEXT NOT NULL,
    "landingSiteId" TEXT NOT NULL,
    "available" BOOLEAN NOT NULL DEFAULT true,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pitch" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "industryChain" TEXT NOT NULL,
    "siteIds" JSONB NOT NULL,
    "landMu" DOUBLE PRECISION NOT NULL,
    "investmentWan" DOUBLE PRECISION NOT NULL,
    "expectedOutputWan" DOUBLE PRECISION NOT NULL,
    "highlights" TEXT NOT NULL,
    "responsibleUnitId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Pitch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Partner" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "appointedBy" TEXT NOT NULL,
    "appointedAt" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Partner_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Site_landingSiteId_idx" ON "Site"("landingSiteId");

-- CreateIndex
CREATE INDEX "Site_kind_available_idx" ON "Site"("kind", "available");

-- CreateIndex
CREATE INDEX "Pitch_status_idx" ON "Pitch"("status");

-- CreateIndex
CREATE INDEX "Pitch_industryChain_idx" ON "Pitch"("industryChain");

-- CreateIndex
CREATE INDEX "Partner_kind_active_idx" ON "Partner"("kind", "active");

-- CreateIndex
CREATE INDEX "Project_pitchId_idx" ON "Project"("pitchId");

-- CreateIndex
CREATE INDEX "Project_partnerId_idx" ON "Project"("partnerId");
