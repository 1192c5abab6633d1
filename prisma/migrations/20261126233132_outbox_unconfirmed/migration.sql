-- AlterTable
ALTER TABLE "outbox_messages" ADD COLUMN     "unconfirmed_at" TIMESTAMPTZ(3);
