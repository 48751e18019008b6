-- CreateTable
CREATE TABLE "RegistrationKey" (
    "id" TEXT NOT NULL,
    "projectNo" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegistrationKey_pkey" PRIMARY KEY ("id")
);
