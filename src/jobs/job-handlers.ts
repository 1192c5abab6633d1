import { JOB_ESCALATE, JOB_EXPIRE, JOB_REMIND } from "../domain/approvals/jobs.ts";
import { expireDraft, remindApprovers, tellAdmins } from "../domain/approvals/reminders.ts";
import { remindEvents } from "../domain/events/remind-job.ts";
import { REMIND_JOB } from "../domain/events/reminders.ts";
import { runWeeklyDigest } from "../domain/reports/digest-job.ts";
import { DIGEST_JOB } from "../domain/reports/digest-schedule.ts";
import type { JobHandler } from "../domain/schedule.ts";

/**
 * Every kind of scheduled job and the domain handler that runs it. Add a kind: one line here.
 */
export const jobHandlers: Record<string, JobHandler> = {
  [REMIND_JOB]: remindEvents,
  [JOB_REMIND]: remindApprovers,
  [JOB_ESCALATE]: tellAdmins,
  [JOB_EXPIRE]: expireDraft,
  [DIGEST_JOB]: runWeeklyDigest,
};
