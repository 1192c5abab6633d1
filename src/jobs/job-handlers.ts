import type { JobHandler } from "../domain/schedule.ts";

/**
 * Every kind of scheduled job and the domain handler that runs it. Add a kind: one line here.
 */
export const jobHandlers: Record<string, JobHandler> = {};
