import type { DbClient } from "../../db/database.ts";
import type { UnitRef } from "./units.ts";

export interface ChatPlace {
  platform: string;
  chatId: string;
  chatType: "group" | "single";
}

/**
 * The unit a conversation is about: the group's unit in a group the directory knows, otherwise
 * (one-to-one, or a group without a unit) the person's own unit.
 */
export async function chatUnit(
  db: DbClient,
  place: ChatPlace,
  personUnitId: number | null,
): Promise<UnitRef | null> {
  const select = { id: true, name: true, aliases: true } as const;
  if (place.chatType === "group") {
    const group = await db.group.findUnique({
      where: { platform_chatId: { platform: place.platform, chatId: place.chatId } },
      select: { unit: { select } },
    });
    if (group?.unit) return group.unit;
  }
  if (personUnitId === null) return null;
  return db.unit.findUnique({ where: { id: personUnitId }, select });
}
