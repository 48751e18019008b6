-- AlterTable
ALTER TABLE "Trip" ADD COLUMN     "withdrawnAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "TripChange" (
    "id" SERIAL NOT NULL,
    "tripId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "before" JSONB NOT NULL,
    "after" JSONB,

    CONSTRAINT "TripChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TripChange_tripId_idx" ON "TripChange"("tripId");

-- AddForeignKey
ALTER TABLE "TripChange" ADD CONSTRAINT "TripChange_tripId_fkey" FOREIGN KEY ("tripId") REFERENCES "Trip"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
