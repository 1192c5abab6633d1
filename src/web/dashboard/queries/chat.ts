import type { DbClient } from "../../../db/database.ts";
import { shortName } from "../../../domain/tasks/units.ts";
import type { LocalDelivery } from "../../../platforms/local/listeners.ts";

export interface ChatChoices {
  groups: { name: string; chatId: string; unit: string | null }[];
  people: { name: string; unit: string | null; roles: string[] }[];
}

/** Who can speak in the sandbox and where: local groups and the people the directory placed. */
export async function loadChatChoices(db: DbClient): Promise<ChatChoices> {
  const [groups, people] = await Promise.all([
    db.group.findMany({
      where: { platform: "local" },
      orderBy: { id: "asc" },
      select: { name: true, chatId: true, unit: { select: { name: true, aliases: true } } },
    }),
    db.person.findMany({
      where: { placed: true },
      orderBy: [{ unitId: { sort: "asc", nulls: "last" } }, { id: "asc" }],
      select: { name: true, roles: true, unit: { select: { name: true, aliases: true } } },
    }),
  ]);
  return {
    groups: groups.map((g) => ({ name: g.name, chatId: g.chatId, unit: g.unit ? shortName(g.unit) : null })),
    people: people.map((p) => ({ name: p.name, roles: p.roles, unit: p.unit ? shortName(p.unit) : null })),
  };
}

/** The directory's name of each local chat id, for labelling deliveries. */
export async function localGroupNames(db: DbClient): Promise<Map<string, string>> {
  const groups = await db.group.findMany({
    where: { platform: "local" },
    select: { chatId: true, name: true },
  });
  return new Map(groups.map((g) => [g.chatId, g.name]));
}

/** A local delivery as the sandbox shows it, whether it arrives live or from the table. */
export type LocalMessage = LocalDelivery;

/** Local deliveries after `afterId` (oldest first), or the latest `limit` of them. */
export async function loadLocalMessages(
  db: DbClient,
  opts: { afterId?: bigint; limit: number },
): Promise<LocalMessage[]> {
  const rows = await db.outboxMessage.findMany({
    where: {
      channel: "local",
      status: { in: ["sent", "sending"] },
      ...(opts.afterId !== undefined ? { id: { gt: opts.afterId } } : {}),
    },
    orderBy: { id: opts.afterId !== undefined ? "asc" : "desc" },
    take: opts.limit,
    select: { id: true, target: true, body: true, sentAt: true, createdAt: true },
  });
  if (opts.afterId === undefined) rows.reverse();
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return rows.map((r) => {
    const target = (r.target ?? {}) as Record<string, unknown>;
    const body = (r.body ?? {}) as Record<string, unknown>;
    return {
      id: String(r.id),
      chatId: str(target.chatId) ?? "",
      text: str(body.text) ?? "",
      title: str(body.title),
      replyTo: str(target.replyTo),
      quote: str(target.quote),
      at: r.sentAt ?? r.createdAt,
    };
  });
}
