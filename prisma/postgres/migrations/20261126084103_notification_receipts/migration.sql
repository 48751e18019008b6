-- DropIndex
DROP INDEX "Notification_deliveredAt_idx";

-- AlterTable
ALTER TABLE "TaskForceMembership" ADD COLUMN     "isLeader" BOOLEAN NOT NULL DEFAULT false;


-- CreateTable
CREATE TABLE "NotificationReceipt" (
    "id" SERIAL NOT NULL,
    "notificationId" INTEGER NOT NULL,
    "personId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "unrouted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "NotificationReceipt_pkey" PRIMARY KEY ("id")
);

-- the recipients each notice listed become its receipts, one row per person, before the column goes
INSERT INTO "NotificationReceipt" ("notificationId", "personId", "reason", "createdAt")
SELECT n."id", r->>'personId', COALESCE(MIN(r->>'reason'), ''), n."createdAt"
FROM "Notification" n CROSS JOIN LATERAL jsonb_array_elements(n."recipients") AS r
WHERE r->>'personId' IN (SELECT "id" FROM "Person")
GROUP BY n."id", r->>'personId', n."createdAt";

-- AlterTable
ALTER TABLE "Notification" DROP COLUMN "deliveredAt",
DROP COLUMN "recipients";

-- CreateIndex
CREATE INDEX "NotificationReceipt_personId_createdAt_idx" ON "NotificationReceipt"("personId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationReceipt_notificationId_personId_key" ON "NotificationReceipt"("notificationId", "personId");

-- AddForeignKey
ALTER TABLE "NotificationReceipt" ADD CONSTRAINT "NotificationReceipt_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationReceipt" ADD CONSTRAINT "NotificationReceipt_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
