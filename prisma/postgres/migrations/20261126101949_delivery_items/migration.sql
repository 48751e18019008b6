-- CreateTable
CREATE TABLE "DeliveryItem" (
    "deliveryId" TEXT NOT NULL,
    "receiptId" INTEGER NOT NULL,

    CONSTRAINT "DeliveryItem_pkey" PRIMARY KEY ("deliveryId","receiptId")
);

-- CreateIndex
CREATE INDEX "DeliveryItem_receiptId_idx" ON "DeliveryItem"("receiptId");

-- AddForeignKey
ALTER TABLE "DeliveryItem" ADD CONSTRAINT "DeliveryItem_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryItem" ADD CONSTRAINT "DeliveryItem_receiptId_fkey" FOREIGN KEY ("receiptId") REFERENCES "NotificationReceipt"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Every delivery made before batching carries its one copy
INSERT INTO "DeliveryItem" ("deliveryId", "receiptId") SELECT "id", "receiptId" FROM "Delivery";
