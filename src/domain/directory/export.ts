import { Document, isMap, isScalar, isSeq, visit } from "yaml";
import type { Db } from "../../db/database.ts";
import { exportChannels } from "./channel-export.ts";
import { normalizeRoles } from "./roles.ts";

const HEADER = [
  " 汇报 通讯录（由 huibao directory export 导出）",
  " 修改后运行 huibao directory import <本文件> 导入；先加 --dry-run 看看会改什么。",
  " 字段说明见 examples/directory.yaml 和 docs/directory.md。",
];
const SECRET_WARNING = " 注意：本文件含群机器人的 webhook 密钥，请妥善保管，不要发到群里或提交到代码仓库。";
const UNPLACED_NOTE = [
  " 未登记：给机器人发过消息、但管理员还没登记的人（机器人自动记下了他们的账号）。",
  " 登记方法：把条目整个移到上面的 people 里，填好 unit 和 roles，再导入。",
  " 留在这里的人导入后仍是未登记，只能用只读的命令。",
].join("\n");

/** Drops null fields so the file shows only what is set (import reads a missing field as null). */
function compact<T extends Record<string, unknown>>(entry: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(entry).filter(([, v]) => v !== null && v !== undefined),
  ) as Partial<T>;
}

/**
 * The whole directory as a YAML file that imports back as "all unchanged". People the bot recorded on
 * its own (placed = false) go to a separate `unplaced:` section, which import keeps unplaced.
 */
export async function exportDirectory(db: Db): Promise<string> {
  const units = await db.unit.findMany({ orderBy: { id: "asc" } });
  const people = await db.person.findMany({ orderBy: { id: "asc" }, include: { unit: true } });
  const groups = await db.group.findMany({ orderBy: { id: "asc" }, include: { unit: true } });
  const channels = await exportChannels(db);

  const personFields = (p: (typeof people)[number]) => ({
    wecom: p.wecomUserId,
    dingtalk: p.dingtalkStaffId,
    mobile: p.mobile,
  });
  const data = {
    units: units.map((u) => compact({ name: u.name, aliases: u.aliases.length ? u.aliases : null })),
    people: people
      .filter((p) => p.placed)
      // roles are always written: a missing field would import as [member], not as what the person has.
      .map((p) =>
        compact({
          name: p.name,
          unit: p.unit?.name ?? null,
          roles: normalizeRoles(p.roles),
          ...personFields(p),
        }),
      ),
    groups: groups.map((g) =>
      compact({
        name: g.name,
        platform: g.platform,
        chat_id: g.chatId,
        unit: g.unit?.name ?? null,
        webhook_key: g.webhookKey,
        webhook_secret: g.webhookSecret,
      }),
    ),
    ...(channels.entries ? { channels: channels.entries } : {}),
    unplaced: people
      .filter((p) => !p.placed)
      .map((p) => compact({ name: p.name, unit: p.unit?.name ?? null, ...personFields(p) })),
  };

  const doc = new Document(data);
  const hasSecrets = groups.some((g) => g.webhookKey || g.webhookSecret);
  doc.commentBefore = [...HEADER, ...(hasSecrets ? [SECRET_WARNING] : [])].join("\n");
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key)) return;
      // Short lists read best on one line: roles: [admin, approver]
      if ((pair.key.value === "roles" || pair.key.value === "aliases") && isSeq(pair.value))
        pair.value.flow = true;
      // Approvers read best as one line of { person: 李四 } entries.
      if (pair.key.value === "approvers" && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key)) continue;
      // A blank line between sections, and the how-to right above the section that needs it.
      if (pair.key.value !== "units") pair.key.spaceBefore = true;
      if (pair.key.value === "unplaced") pair.key.commentBefore = UNPLACED_NOTE;
    }
  }
  if (channels.skipped.length > 0) {
    doc.comment = [
      " 以下审批渠道引用了通讯录里已经没有的人员或单位，没有导出（补齐后再写进 channels: 导入）：",
      ...channels.skipped.map((s) => `   ${s}`),
    ].join("\n");
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
