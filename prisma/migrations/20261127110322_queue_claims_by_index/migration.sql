-- DropIndex
DROP INDEX "inbox_messages_status_locked_until_idx";

-- CreateIndex
CREATE INDEX "inbox_messages_status_id_idx" ON "inbox_messages"("status", "id");

-- CreateIndex
CREATE INDEX "outbox_messages_destination_unconfirmed_at_idx" ON "outbox_messages"("destination", "unconfirmed_at");
