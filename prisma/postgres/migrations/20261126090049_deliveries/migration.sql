-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "dingtalkUserId" TEXT,
ADD COLUMN     "email" TEXT,
ADD COLUMN     "mobile" TEXT,
ADD COLUMN     "wecomUserId" TEXT;

-- AlterTable
ALTER TABLE "NotificationReceipt" ADD COLUMN     "planned" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "receiptId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "claimedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_idx" ON "Delivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Delivery_receiptId_idx" ON "Delivery"("receiptId");

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_receiptId_fkey" FOREIGN KEY ("receiptId") REFERENCES "NotificationReceipt"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- notices written before deliveries existed are not sent out now: only new ones are
UPDATE "NotificationReceipt" SET "planned" = true;
