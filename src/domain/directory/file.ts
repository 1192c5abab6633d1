import { LineCounter, parseDocument, visit } from "yaml";
import type { z } from "zod";
import { lineOf, syntaxIssues } from "../../lib/yaml-lines.ts";
import { channelSchema } from "./channel-schema.ts";
import { checkDirectory, type SparseDirectory } from "./checks.ts";
import { SECTIONS, type Section } from "./schema.ts";
import type { DirectoryFile, DirectoryIssue } from "./types.ts";

export type {
  ChannelEntry,
  DirectoryFile,
  DirectoryIssue,
  GroupEntry,
  PersonEntry,
  UnitEntry,
  UnplacedEntry,
} from "./types.ts";

export type ParseResult =
  | { ok: true; file: DirectoryFile }
  /** `errors` are ready to print, one line each: `第 12 行 people[3].roles：未知角色 "boss"（…）`. */
  | { ok: false; errors: string[]; issues: DirectoryIssue[] };

/** Thrown by importDirectory when given a file that breaks the cross-entry rules. */
export class DirectoryFileError extends Error {
  constructor(readonly issues: DirectoryIssue[]) {
    super(`通讯录文件有 ${issues.length} 处错误：\n${issues.map(formatIssue).join("\n")}`);
    this.name = "DirectoryFileError";
  }
}

/** `people[3].roles` */
export function fieldOf(path: readonly (string | number)[]): string {
  return path.map((seg, i) => (typeof seg === "number" ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join("");
}

export function formatIssue(issue: DirectoryIssue): string {
  const where = issue.line === null ? "" : `第 ${issue.line} 行`;
  const field = fieldOf(issue.path);
  const head = [where, field].filter(Boolean).join(" ");
  return head ? `${head}：${issue.message}` : issue.message;
}

/** Parses and validates a directory file, reporting every problem it finds, each with its line. */
export function parseDirectoryFile(text: string): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return failed(syntaxIssues(doc.errors, lines));

  // Ids and phone numbers are text: `dingtalk: 0123456789` must not become the number 123456789.
  visit(doc, {
    Scalar(_, node) {
      if ((typeof node.value === "number" || typeof node.value === "boolean") && node.source)
        node.value = node.source;
    },
  });
  const found: Found[] = [];
  let root: unknown;
  try {
    root = doc.toJS();
  } catch (e) {
    // yaml refuses to expand too many aliases (*name), a guard against "billion laughs" files.
    return failed([{ line: 1, path: [], message: `YAML 无法展开：${(e as Error).message}` }]);
  }
  const sparse = readSections(root, found);
  if (sparse) found.push(...checkDirectory(sparse.file, sparse.brokenUnitNames));
  if (found.length > 0) {
    return failed(found.map((f) => ({ ...f, line: lineOf(doc, lines, f.path) })));
  }
  // Every entry passed, so no section holds undefined.
  return { ok: true, file: sparse?.file as DirectoryFile };
}

function failed(issues: DirectoryIssue[]): ParseResult {
  const sorted = [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ok: false, issues: sorted, errors: sorted.map(formatIssue) };
}

type Found = { path: (string | number)[]; message: string };
const SECTION_NAMES = Object.keys(SECTIONS) as Section[];
/** Approval rules: optional, and left alone by an import whose file has no such section. */
const CHANNELS = "channels";

function readSections(
  root: unknown,
  found: Found[],
): { file: SparseDirectory; brokenUnitNames: string[] } | undefined {
  if (root === null || root === undefined) {
    found.push({ path: [], message: "文件是空的（应包含 units:、people:、groups: 几个部分）" });
    return undefined;
  }
  if (typeof root !== "object" || Array.isArray(root)) {
    found.push({ path: [], message: `顶层应为 ${SECTION_NAMES.join(":、")}: 几个部分` });
    return undefined;
  }
  const record = root as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(SECTION_NAMES as string[]).includes(key) && key !== CHANNELS) {
      found.push({ path: [key], message: `未知部分（可用：${SECTION_NAMES.join("、")}）` });
    }
  }
  const brokenUnitNames: string[] = [];
  const read = <T>(section: Section | typeof CHANNELS, schema: z.ZodType<T>): (T | undefined)[] => {
    const items = record[section];
    if (items === null || items === undefined) return [];
    if (!Array.isArray(items)) {
      found.push({ path: [section], message: "应为列表（每一项以“- ”开头）" });
      return [];
    }
    return items.map((item, i) => {
      const r = schema.safeParse(item);
      if (r.success) return r.data;
      for (const iss of r.error.issues) found.push(...fromZod(iss, [section, i]));
      if (section === "units") brokenUnitNames.push(...namesOf(item));
      return salvage(item, r.error.issues, schema);
    });
  };
  const file = {
    units: read("units", SECTIONS.units),
    people: read("people", SECTIONS.people),
    groups: read("groups", SECTIONS.groups),
    unplaced: read("unplaced", SECTIONS.unplaced),
    ...(CHANNELS in record ? { channels: read(CHANNELS, channelSchema) } : {}),
  };
  return { file, brokenUnitNames };
}

function fromZod(iss: z.core.$ZodIssue, prefix: (string | number)[]): Found[] {
  const path = [...prefix, ...iss.path.map((p) => (typeof p === "number" ? p : String(p)))];
  if (iss.code === "unrecognized_keys")
    return iss.keys.map((k) => ({ path: [...path, k], message: iss.message }));
  return [{ path, message: iss.message }];
}

/**
 * The entry without its faulty fields, when what remains is still valid, so the cross-entry rules
 * (duplicate names and ids, unknown units) still see it: one misspelt field should not hide the rest.
 */
function salvage<T>(item: unknown, issues: z.core.$ZodIssue[], schema: z.ZodType<T>): T | undefined {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return undefined;
  const drop = new Set<PropertyKey>();
  for (const iss of issues) {
    if (iss.code === "unrecognized_keys") for (const k of iss.keys) drop.add(k);
    else if (iss.path[0] !== undefined) drop.add(iss.path[0]);
  }
  const rest = Object.fromEntries(Object.entries(item).filter(([k]) => !drop.has(k)));
  const r = schema.safeParse(rest);
  return r.success ? r.data : undefined;
}

/** The names a broken unit entry still gives, so people referring to it do not get a second error. */
function namesOf(item: unknown): string[] {
  const u = item as { name?: unknown; aliases?: unknown } | null;
  const all = [u?.name, ...(Array.isArray(u?.aliases) ? u.aliases : [u?.aliases])];
  return all.filter((v): v is string => typeof v === "string").map((v) => v.trim());
}
