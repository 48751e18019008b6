-- AlterTable
ALTER TABLE "Trip" ADD COLUMN "withdrawnAt" DATETIME;

-- CreateTable
CREATE TABLE "TripChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tripId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "before" JSONB NOT NULL,
    "after" JSONB,
    CONSTRAINT "TripChange_tripId_fkey" FOREIGN KEY ("tripId") REFERENCES "Trip" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TripChange_tripId_idx" ON "TripChange"("tripId");
