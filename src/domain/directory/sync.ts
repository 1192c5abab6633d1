import type { Db } from "../../db/database.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { applyPlan } from "./apply.ts";
import { applyChannels, planChannels } from "./channel-sync.ts";
import { checkDirectory } from "./checks.ts";
import { DirectoryFileError } from "./file.ts";
import { type CurrentState, type Plan, planGroups, planUnits } from "./plan.ts";
import { planPeople } from "./plan-people.ts";
import { type ImportSummary, summarize } from "./summary.ts";
import type { DirectoryFile } from "./types.ts";
import { UnitIndex } from "./units-index.ts";

export type { Change, EntityCounts, ImportSummary } from "./summary.ts";

export interface ImportOptions {
  /** Compute and report the changes, write nothing. */
  dryRun?: boolean;
  /** Delete units and groups missing from the file and unplace missing people. */
  prune?: boolean;
}

/**
 * Makes the database say what the file says, in one transaction: either every change is written or
 * none is. Importing the same file twice changes nothing the second time.
 * @throws DirectoryFileError when the file breaks the cross-entry rules (it was built in code, not parsed).
 */
export async function importDirectory(
  db: Db,
  file: DirectoryFile,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const findings = checkDirectory(file);
  if (findings.length > 0) throw new DirectoryFileError(findings.map((f) => ({ ...f, line: null })));
  const dryRun = options.dryRun ?? false;
  const prune = options.prune ?? false;
  return db.$transaction(
    async (tx) => {
      // Two admins importing at once would each plan against a state the other is changing.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('huibao:directory-import'))`;
      const state = await loadState(tx);
      const plan: Plan = {
        units: planUnits(file, state.units, prune),
        people: planPeople(file, state.people, prune),
        groups: planGroups(file, state.groups, prune),
        ...(file.channels
          ? { channels: await planChannels(tx, file.channels, new UnitIndex(file.units), prune) }
          : {}),
      };
      if (!dryRun) {
        await applyPlan(tx, plan);
        if (plan.channels) await applyChannels(tx, plan.channels);
      }
      return summarize(plan, { dryRun, prune });
    },
    // PGlite is slow to write hundreds of rows; Prisma's default 5 s would abort a large first import.
    { timeout: 120_000, maxWait: 30_000 },
  );
}

async function loadState(tx: Prisma.TransactionClient): Promise<CurrentState> {
  const units = await tx.unit.findMany({ orderBy: { id: "asc" } });
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const nameOf = (id: number | null) => (id === null ? null : (unitName.get(id) ?? null));
  const people = await tx.person.findMany({ orderBy: { id: "asc" } });
  const groups = await tx.group.findMany({ orderBy: { id: "asc" } });
  return {
    units: units.map((u) => ({ id: u.id, row: { name: u.name, aliases: u.aliases } })),
    people: people.map((p) => ({
      id: p.id,
      row: {
        name: p.name,
        unit: nameOf(p.unitId),
        roles: p.roles,
        wecom: p.wecomUserId,
        dingtalk: p.dingtalkStaffId,
        mobile: p.mobile,
        placed: p.placed,
      },
    })),
    groups: groups.map((g) => ({
      id: g.id,
      row: {
        platform: g.platform,
        chatId: g.chatId,
        name: g.name,
        unit: nameOf(g.unitId),
        webhookKey: g.webhookKey,
        webhookSecret: g.webhookSecret,
      },
    })),
  };
}
