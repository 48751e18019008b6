-- CreateTable
CREATE TABLE "RegistrationKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectNo" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
