-- CreateTable
CREATE TABLE "plans" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "issuer" TEXT,
    "issued_on" TEXT,
    "source_sha" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" SERIAL NOT NULL,
    "plan_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "section_no" INTEGER NOT NULL,
    "section_title" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "targets" JSONB NOT NULL,
    "target_kind" TEXT,
    "target_count" INTEGER,
    "due" TEXT,
    "lead_text" TEXT[],
    "support_text" TEXT[],
    "percent" INTEGER NOT NULL DEFAULT 0,
    "count" INTEGER NOT NULL DEFAULT 0,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_units" (
    "task_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "task_units_pkey" PRIMARY KEY ("task_id","unit_id","role")
);

-- CreateTable
CREATE TABLE "progress_reports" (
    "id" BIGSERIAL NOT NULL,
    "task_id" INTEGER NOT NULL,
    "person_id" INTEGER,
    "event_id" INTEGER,
    "kind" TEXT NOT NULL,
    "percent_before" INTEGER NOT NULL,
    "percent_after" INTEGER NOT NULL,
    "count_before" INTEGER NOT NULL,
    "count_after" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "platform" TEXT,
    "message_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "undone_at" TIMESTAMPTZ(3),

    CONSTRAINT "progress_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "place" TEXT,
    "speaker" TEXT,
    "task_id" INTEGER,
    "group_ids" INTEGER[],
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "created_by_id" INTEGER,
    "cancel_reason" TEXT,
    "held_at" TIMESTAMPTZ(3),
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_signups" (
    "event_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_signups_pkey" PRIMARY KEY ("event_id","person_id")
);

-- CreateTable
CREATE TABLE "scheduled_jobs" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "run_at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "scheduled_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_channels" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "aliases" TEXT[],
    "stages" JSONB NOT NULL,
    "deadline_hours" INTEGER NOT NULL DEFAULT 24,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drafts" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "stage" INTEGER NOT NULL DEFAULT 0,
    "stages" JSONB NOT NULL,
    "submitter_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "chat_id" TEXT NOT NULL,
    "publish_at" TIMESTAMPTZ(3),
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "published_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "drafts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "draft_versions" (
    "draft_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "draft_versions_pkey" PRIMARY KEY ("draft_id","version")
);

-- CreateTable
CREATE TABLE "votes" (
    "id" BIGSERIAL NOT NULL,
    "draft_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "stage" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT,
    "platform" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "votes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_records" (
    "id" BIGSERIAL NOT NULL,
    "draft_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "content_sha" TEXT NOT NULL,
    "actor_id" INTEGER,
    "actor_name" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "raw_text" TEXT NOT NULL,
    "platform" TEXT,
    "message_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "plans_year_title_key" ON "plans"("year", "title");

-- CreateIndex
CREATE INDEX "tasks_due_idx" ON "tasks"("due");

-- CreateIndex
CREATE UNIQUE INDEX "tasks_plan_id_code_key" ON "tasks"("plan_id", "code");

-- CreateIndex
CREATE INDEX "task_units_unit_id_idx" ON "task_units"("unit_id");

-- CreateIndex
CREATE INDEX "progress_reports_task_id_created_at_idx" ON "progress_reports"("task_id", "created_at");

-- CreateIndex
CREATE INDEX "progress_reports_person_id_created_at_idx" ON "progress_reports"("person_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "progress_reports_platform_message_id_key" ON "progress_reports"("platform", "message_id");

-- CreateIndex
CREATE INDEX "events_starts_at_idx" ON "events"("starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "scheduled_jobs_key_key" ON "scheduled_jobs"("key");

-- CreateIndex
CREATE INDEX "scheduled_jobs_status_run_at_idx" ON "scheduled_jobs"("status", "run_at");

-- CreateIndex
CREATE UNIQUE INDEX "approval_channels_name_key" ON "approval_channels"("name");

-- CreateIndex
CREATE INDEX "drafts_status_idx" ON "drafts"("status");

-- CreateIndex
CREATE UNIQUE INDEX "votes_draft_id_version_stage_person_id_key" ON "votes"("draft_id", "version", "stage", "person_id");

-- CreateIndex
CREATE UNIQUE INDEX "votes_platform_message_id_key" ON "votes"("platform", "message_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_records_hash_key" ON "audit_records"("hash");

-- CreateIndex
CREATE INDEX "audit_records_draft_id_idx" ON "audit_records"("draft_id");

-- CreateIndex
CREATE INDEX "audit_records_at_idx" ON "audit_records"("at");

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_units" ADD CONSTRAINT "task_units_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_units" ADD CONSTRAINT "task_units_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_signups" ADD CONSTRAINT "event_signups_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_signups" ADD CONSTRAINT "event_signups_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "draft_versions" ADD CONSTRAINT "draft_versions_draft_id_fkey" FOREIGN KEY ("draft_id") REFERENCES "drafts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "votes" ADD CONSTRAINT "votes_draft_id_fkey" FOREIGN KEY ("draft_id") REFERENCES "drafts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
