/** The kinds of event, as stored and as people call them. */
export const EVENT_KINDS = ["lecture", "press_conference", "event"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const KIND_NAMES: Record<EventKind, string> = {
  lecture: "讲座",
  press_conference: "发布会",
  event: "活动",
};

export function kindName(kind: string): string {
  return KIND_NAMES[kind as EventKind] ?? "活动";
}

export const STATUS_NAMES: Record<string, string> = {
  scheduled: "待举办",
  cancelled: "已取消",
  held: "已举办",
};
