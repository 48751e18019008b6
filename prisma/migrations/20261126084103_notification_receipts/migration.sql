-- CreateTable
CREATE TABLE "NotificationReceipt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "notificationId" INTEGER NOT NULL,
    "personId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "unrouted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL,
    "readAt" DATETIME,
    CONSTRAINT "NotificationReceipt_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "NotificationReceipt_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- the recipients each notice listed become its receipts, one row per person, before the column goes
INSERT INTO "NotificationReceipt" ("notificationId", "personId", "reason", "createdAt")
SELECT n."id", json_extract(r.value, '$.personId'), COALESCE(MIN(json_extract(r.value, '$.reason')), ''), n."createdAt"
FROM "Notification" n, json_each(n."recipients") r
WHERE json_extract(r.value, '$.personId') IN (SELECT "id" FROM "Person")
GROUP BY n."id", json_extract(r.value, '$.personId');

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_TaskForceMembership" (
    "taskForceCode" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "isLeader" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("taskForceCode", "personId"),
    CONSTRAINT "TaskForceMembership_taskForceCode_fkey" FOREIGN KEY ("taskForceCode") REFERENCES "TaskForce" ("code") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TaskForceMembership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_TaskForceMembership" ("personId", "taskForceCode") SELECT "personId", "taskForceCode" FROM "TaskForceMembership";
DROP TABLE "TaskForceMembership";
ALTER TABLE "new_TaskForceMembership" RENAME TO "TaskForceMembership";
CREATE INDEX "TaskForceMembership_personId_idx" ON "TaskForceMembership"("personId");
CREATE TABLE "new_Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupeKey" TEXT NOT NULL,
    "projectId" TEXT,
    "taskId" TEXT,
    "kind" TEXT NOT NULL,
    "level" INTEGER NOT NULL DEFAULT 0,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Notification_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Notification" ("body", "createdAt", "dedupeKey", "id", "kind", "level", "projectId", "taskId", "title") SELECT "body", "createdAt", "dedupeKey", "id", "kind", "level", "projectId", "taskId", "title" FROM "Notification";
DROP TABLE "Notification";
ALTER TABLE "new_Notification" RENAME TO "Notification";
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "NotificationReceipt_personId_createdAt_idx" ON "NotificationReceipt"("personId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationReceipt_notificationId_personId_key" ON "NotificationReceipt"("notificationId", "personId");
