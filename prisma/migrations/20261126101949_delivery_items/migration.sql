-- CreateTable
CREATE TABLE "DeliveryItem" (
    "deliveryId" TEXT NOT NULL,
    "receiptId" INTEGER NOT NULL,

    PRIMARY KEY ("deliveryId", "receiptId"),
    CONSTRAINT "DeliveryItem_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DeliveryItem_receiptId_fkey" FOREIGN KEY ("receiptId") REFERENCES "NotificationReceipt" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DeliveryItem_receiptId_idx" ON "DeliveryItem"("receiptId");

-- Every delivery made before batching carries its one copy
INSERT INTO "DeliveryItem" ("deliveryId", "receiptId") SELECT "id", "receiptId" FROM "Delivery";
