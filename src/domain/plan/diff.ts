import { isDeepStrictEqual } from "node:util";
import { distance } from "fastest-levenshtein";
import type { Target } from "./types.ts";

/** A plan item as it will be stored. */
export interface IncomingTask {
  code: string;
  sectionNo: number;
  sectionTitle: string;
  title: string;
  body: string;
  targets: Target[];
  due: string | null;
  leadText: string[];
  supportText: string[];
}

/** A stored task, with what the import compares and what it must not lose. */
export interface StoredTask extends IncomingTask {
  id: number;
  /** Progress reports point at it: it is never deleted by an import. */
  reports: number;
  /** Its task_units rows. */
  linkedUnits: number;
}

export type TaskField = "code" | "title" | "body" | "section" | "targets" | "due" | "units";

export interface TaskMatch {
  incoming: IncomingTask;
  stored: StoredTask;
  changed: TaskField[];
}

export interface TaskDiff {
  matched: TaskMatch[];
  added: IncomingTask[];
  removed: StoredTask[];
}

/**
 * Pairs the tasks of an edited plan with the stored ones: same code and title first, then the same
 * title under a new code (an item inserted above shifts the codes), then the same code with an edited
 * title, then a title that differs by a few characters.
 */
export function diffTasks(stored: readonly StoredTask[], incoming: readonly IncomingTask[]): TaskDiff {
  const free = new Set(stored);
  const pairs = new Map<IncomingTask, StoredTask>();
  const pass = (fits: (s: StoredTask, i: IncomingTask) => boolean) => {
    for (const i of incoming) {
      if (pairs.has(i)) continue;
      const s = [...free].find((f) => fits(f, i));
      if (s) {
        pairs.set(i, s);
        free.delete(s);
      }
    }
  };
  pass((s, i) => s.code === i.code && s.title === i.title);
  pass((s, i) => s.title === i.title);
  pass((s, i) => s.code === i.code);
  pass((s, i) => distance(s.title, i.title) <= Math.max(1, Math.floor(i.title.length / 3)));

  const matched: TaskMatch[] = [];
  const added: IncomingTask[] = [];
  for (const i of incoming) {
    const s = pairs.get(i);
    if (s) matched.push({ incoming: i, stored: s, changed: changedFields(s, i) });
    else added.push(i);
  }
  return { matched, added, removed: [...free] };
}

/**
 * What the document changed. Targets, due date and units are read from the title and body, so they
 * are compared only where those changed: a due date or units set by hand in chat on an item the
 * document left alone stay as they are.
 */
function changedFields(s: IncomingTask, i: IncomingTask): TaskField[] {
  const changed: TaskField[] = [];
  if (s.code !== i.code) changed.push("code");
  if (s.title !== i.title) changed.push("title");
  if (s.body !== i.body) changed.push("body");
  if (s.sectionNo !== i.sectionNo || s.sectionTitle !== i.sectionTitle) changed.push("section");
  if (s.title === i.title && s.body === i.body) return changed;
  if (!isDeepStrictEqual(s.targets, i.targets)) changed.push("targets");
  if (s.due !== i.due) changed.push("due");
  if (!isDeepStrictEqual(s.leadText, i.leadText) || !isDeepStrictEqual(s.supportText, i.supportText))
    changed.push("units");
  return changed;
}
