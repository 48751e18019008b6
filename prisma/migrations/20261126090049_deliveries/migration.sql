-- AlterTable
ALTER TABLE "Person" ADD COLUMN "dingtalkUserId" TEXT;
ALTER TABLE "Person" ADD COLUMN "email" TEXT;
ALTER TABLE "Person" ADD COLUMN "mobile" TEXT;
ALTER TABLE "Person" ADD COLUMN "wecomUserId" TEXT;

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "receiptId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "claimedUntil" DATETIME,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Delivery_receiptId_fkey" FOREIGN KEY ("receiptId") REFERENCES "NotificationReceipt" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_NotificationReceipt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "notificationId" INTEGER NOT NULL,
    "personId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "unrouted" BOOLEAN NOT NULL DEFAULT false,
    "planned" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL,
    "readAt" DATETIME,
    CONSTRAINT "NotificationReceipt_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "NotificationReceipt_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_NotificationReceipt" ("createdAt", "id", "notificationId", "personId", "readAt", "reason", "unrouted") SELECT "createdAt", "id", "notificationId", "personId", "readAt", "reason", "unrouted" FROM "NotificationReceipt";
DROP TABLE "NotificationReceipt";
ALTER TABLE "new_NotificationReceipt" RENAME TO "NotificationReceipt";
CREATE INDEX "NotificationReceipt_personId_createdAt_idx" ON "NotificationReceipt"("personId", "createdAt");
CREATE UNIQUE INDEX "NotificationReceipt_notificationId_personId_key" ON "NotificationReceipt"("notificationId", "personId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_idx" ON "Delivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Delivery_receiptId_idx" ON "Delivery"("receiptId");

-- notices written before deliveries existed are not sent out now: only new ones are
UPDATE "NotificationReceipt" SET "planned" = true;
