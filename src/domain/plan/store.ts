import { createHash } from "node:crypto";
import type { Db, Tx } from "../../db/database.ts";
import { diffTasks, type IncomingTask, type StoredTask } from "./diff.ts";
import { makeRoom, writeLinks, writeSection } from "./store-write.ts";
import type { PlanField, PlanImportSummary } from "./summary.ts";
import type { ParsedPlan, PlanSection, Target } from "./types.ts";
import { matchUnits } from "./unit-match.ts";

export interface ImportPlanOptions {
  /** Work out and report the changes; write nothing. */
  dryRun?: boolean;
  /** The import's instant (from the injected clock). */
  now: Date;
  /** Called after each section, for a progress line on long imports. */
  onProgress?: (progress: SectionProgress) => void;
}

export interface SectionProgress {
  /** 1-based */
  index: number;
  total: number;
  section: PlanSection;
}

/**
 * Stores a parsed plan as tasks, in one transaction. The same plan again changes nothing; an edited one
 * updates the tasks it still has, adds new ones and removes dropped ones, except those that already
 * have progress reports (kept, and said so). Progress (percent, count, reports) is never touched.
 * Tasks without any unit get linked to the units the directory has learnt since the last import.
 */
export async function importPlan(
  db: Db,
  parsed: ParsedPlan,
  options: ImportPlanOptions,
): Promise<PlanImportSummary> {
  const dryRun = options.dryRun ?? false;
  // Of the parse, not the bytes: a copy that differs only in PDF artifacts is the same plan.
  const sha = createHash("sha256").update(JSON.stringify(parsed)).digest("hex");
  const incoming = parsed.sections.flatMap((s) => s.items.map((item) => toIncoming(s, item)));
  return db.$transaction(
    async (tx): Promise<PlanImportSummary> => {
      // Two imports at once would each compare against a state the other is changing.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('huibao:plan-import'))`;
      const plan = await tx.plan.findUnique({
        where: { year_title: { year: parsed.year, title: parsed.title } },
      });
      const units = await tx.unit.findMany({
        select: { id: true, name: true, aliases: true },
        orderBy: { id: "asc" },
      });
      const stored = plan ? await loadTasks(tx, plan.id) : [];
      const diff = plan?.sourceSha === sha ? diffTasks(stored, stored) : diffTasks(stored, incoming);
      const changed = diff.matched.filter((m) => m.changed.length > 0);
      const planFields: PlanField[] = [];
      if (plan && plan.issuer !== parsed.issuer) planFields.push("issuer");
      if (plan && plan.issuedOn !== parsed.issuedOn) planFields.push("issuedOn");
      // Only tasks nobody has linked yet: units set by hand in chat are not overruled.
      const linkable = diff.matched.filter(
        (m) =>
          m.stored.linkedUnits === 0 && !m.changed.includes("units") && linksOf(m.incoming, units).length > 0,
      );
      const edits = changed.length + diff.added.length + diff.removed.length + planFields.length;

      let planId = plan?.id ?? null;
      const renamed = new Map<number, string>();
      if (!dryRun && edits > 0) {
        const fields = {
          issuer: parsed.issuer,
          issuedOn: parsed.issuedOn,
          sourceSha: sha,
          updatedAt: options.now,
        };
        const data = { ...fields, year: parsed.year, title: parsed.title, importedAt: options.now };
        planId = plan
          ? (await tx.plan.update({ where: { id: plan.id }, data: fields })).id
          : (await tx.plan.create({ data })).id;
        await makeRoom(tx, diff, incoming, renamed);
      }
      if (!dryRun) for (const m of linkable) await writeLinks(tx, m.stored.id, m.incoming, units, false);
      if (edits > 0) {
        for (const [index, section] of parsed.sections.entries()) {
          if (!dryRun && planId !== null) await writeSection(tx, planId, section, diff, units, options.now);
          options.onProgress?.({ index: index + 1, total: parsed.sections.length, section });
        }
      }
      return {
        dryRun,
        status: !plan ? "created" : edits === 0 ? "unchanged" : "updated",
        planId,
        title: parsed.title,
        year: parsed.year,
        sections: parsed.sections.length,
        tasks: incoming.length,
        targets: incoming.reduce((n, t) => n + t.targets.length, 0),
        planFields,
        added: diff.added.map((t) => ({
          code: t.code,
          title: t.title,
          target: t.targets[0] ? { kind: t.targets[0].kind, count: t.targets[0].count } : null,
          due: t.due,
          lead: t.leadText,
          support: t.supportText,
        })),
        changed: changed.map((m) => ({
          code: m.incoming.code,
          title: m.incoming.title,
          previousCode: m.stored.code,
          fields: m.changed,
        })),
        unchanged: diff.matched.length - changed.length,
        removed: diff.removed.map((t) => ({
          code: t.code,
          title: t.title,
          kept: t.reports > 0,
          reports: t.reports,
          renamedTo: renamed.get(t.id) ?? null,
        })),
        linked: linkable.map((m) => m.incoming.code),
        directoryUnits: units.length,
        unmatchedUnits: [
          ...new Set(
            incoming.flatMap(
              (t) => matchUnits({ lead: t.leadText, support: t.supportText }, units).unmatched,
            ),
          ),
        ],
      };
    },
    // PGlite is slow to write many rows; Prisma's default 5 s would abort a large first import.
    { timeout: 120_000, maxWait: 30_000 },
  );
}

function linksOf(t: IncomingTask, units: Parameters<typeof matchUnits>[1]): number[] {
  const { lead, support } = matchUnits({ lead: t.leadText, support: t.supportText }, units);
  return [...lead, ...support];
}

function toIncoming(section: PlanSection, item: PlanSection["items"][number]): IncomingTask {
  return {
    code: item.code,
    sectionNo: section.no,
    sectionTitle: section.title,
    title: item.title,
    body: item.body,
    targets: item.targets,
    due: item.due,
    leadText: item.units.lead,
    supportText: item.units.support,
  };
}

async function loadTasks(tx: Tx, planId: number): Promise<StoredTask[]> {
  const rows = await tx.task.findMany({
    where: { planId },
    orderBy: { id: "asc" },
    include: { _count: { select: { reports: true, units: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    sectionNo: r.sectionNo,
    sectionTitle: r.sectionTitle,
    title: r.title,
    body: r.body,
    targets: r.targets as unknown as Target[],
    due: r.due,
    leadText: r.leadText,
    supportText: r.supportText,
    reports: r._count.reports,
    linkedUnits: r._count.units,
  }));
}
