-- CreateTable
CREATE TABLE "inbox_messages" (
    "id" BIGSERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "locked_until" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "handled_at" TIMESTAMPTZ(3),

    CONSTRAINT "inbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" BIGSERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "target" JSONB NOT NULL,
    "body" JSONB NOT NULL,
    "inbox_id" BIGINT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "inbox_messages_status_locked_until_idx" ON "inbox_messages"("status", "locked_until");

-- CreateIndex
CREATE UNIQUE INDEX "inbox_messages_platform_bot_id_dedupe_key_key" ON "inbox_messages"("platform", "bot_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "outbox_messages_status_next_attempt_at_idx" ON "outbox_messages"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbox_messages_destination_status_sent_at_idx" ON "outbox_messages"("destination", "status", "sent_at");

-- CreateIndex
CREATE INDEX "outbox_messages_inbox_id_idx" ON "outbox_messages"("inbox_id");
