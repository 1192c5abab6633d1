import type { Area, CommandDefinition } from "../src/bot/command.ts";
import { Registry } from "../src/bot/registry.ts";
import approve from "./approval-approve.ts";
import editDraft from "./approval-edit.ts";
import pendingApprovals from "./approval-pending.ts";
import published from "./approval-published.ts";
import reject from "./approval-reject.ts";
import submitDraft from "./approval-submit.ts";
import approvalTrail from "./approval-trail.ts";
import withdrawDraft from "./approval-withdraw.ts";
import assessment from "./assessment.ts";
import digest from "./digest.ts";
import cancelEvent from "./event-cancel.ts";
import { eventsCommand, lecturesCommand, pressConferencesCommand } from "./event-list.ts";
import { newEvent, newLecture, newPressConference } from "./event-new.ts";
import reschedule from "./event-reschedule.ts";
import { signupCommand, withdrawCommand } from "./event-signup.ts";
import help from "./help.ts";
import myTasks from "./my-tasks.ts";
import newTask from "./new-task.ts";
import overdue from "./overdue.ts";
import progress from "./progress.ts";
import tasks from "./tasks.ts";
import undo from "./undo.ts";
import units from "./units.ts";
import whoami from "./whoami.ts";

const inArea = (area: Area, list: CommandDefinition[]) => list.map((c) => ({ ...c, area }));

/**
 * Every chat command, by area, in the order help lists them. Add a command: one file here, one entry
 * below.
 */
export const commands: CommandDefinition[] = [
  ...inArea("tasks", [tasks, progress, myTasks, overdue, undo, newTask]),
  ...inArea("events", [
    eventsCommand,
    lecturesCommand,
    pressConferencesCommand,
    newLecture,
    newPressConference,
    newEvent,
    signupCommand,
    withdrawCommand,
    reschedule,
    cancelEvent,
  ]),
  ...inArea("approvals", [
    submitDraft,
    approve,
    reject,
    editDraft,
    withdrawDraft,
    published,
    approvalTrail,
    pendingApprovals,
  ]),
  ...inArea("reports", [digest, assessment]),
  ...inArea("basic", [help, whoami, units]),
];

/** `extra` commands are added; one with the name of a built-in replaces it (tests of the core use that). */
export function createRegistry(extra: CommandDefinition[] = []): Registry {
  const replaced = new Set(extra.map((c) => c.name));
  return new Registry([...commands.filter((c) => !replaced.has(c.name)), ...extra]);
}
