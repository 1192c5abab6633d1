/** What a plan item commits to counting. Event-like kinds match src/domain/events/kinds.ts. */
export const TARGET_KINDS = [
  "press_conference",
  "lecture",
  "training",
  "inspection",
  "publication",
  "event",
  "other",
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A countable commitment: "两期城市管理专题讲座" → { kind: "lecture", count: 2 }. */
export interface Target {
  kind: TargetKind;
  count: number;
  /** The words of the document the count was read from. */
  text: string;
}

/** Units as the document names them (not yet matched to the directory). */
export interface UnitMentions {
  lead: string[];
  support: string[];
}

export interface PlanItem {
  /** section.item, e.g. "1.2" */
  code: string;
  title: string;
  body: string;
  targets: Target[];
  /** YYYY-MM-DD in the plan's year, or null when the item names no deadline. */
  due: string | null;
  units: UnitMentions;
}

export interface PlanSection {
  no: number;
  /** The numeral as printed: 一, 二, 十一… */
  numeral: string;
  title: string;
  items: PlanItem[];
}

/** The structure `huibao plan import --json` prints. */
export interface ParsedPlan {
  title: string;
  year: number;
  issuer: string | null;
  /** YYYY-MM-DD, the date printed under the issuer. */
  issuedOn: string | null;
  sections: PlanSection[];
}
