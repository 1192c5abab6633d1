import { describe, expect, it } from "vitest";
import { commands, createRegistry } from "../../commands/index.ts";
import { parseArgs, usageLine } from "../../src/bot/args.ts";
import { defineCommand } from "../../src/bot/command.ts";
import { Registry } from "../../src/bot/registry.ts";
import { tokenize } from "../../src/bot/text.ts";

// A command with every kind of argument, declared the way commands/ declares them.
const progress = defineCommand({
  name: "进度",
  aliases: ["progress", "jd"],
  args: [
    { name: "code", type: "code", label: { zh: "任务编号", en: "task" } },
    { name: "percent", type: "percent", label: { zh: "百分比", en: "percent" } },
    { name: "note", type: "text", optional: true, label: { zh: "说明", en: "note" } },
  ],
  permission: "member",
  summary: { zh: "报告进度", en: "report progress" },
  help: { zh: "报告任务进度", en: "report progress" },
  examples: ["进度 2.2 50% 已开两场"],
  run: async ({ args }) => JSON.stringify(args),
});

function parse(text: string) {
  const registry = createRegistry([progress]);
  const tokens = tokenize(text);
  const found = registry.find(tokens[0]?.raw ?? "");
  if (!found) throw new Error("no command");
  const start = (tokens[0]?.start ?? 0) + found.consumed;
  const rest = tokenize(text.slice(start)).map((t) => ({ ...t, start: t.start + start }));
  return parseArgs(found.command, rest, text, "zh");
}

describe("argument grammar", () => {
  it("reads codes, percentages and free text", () => {
    expect(parse("进度 2.2 50% 已开两场")).toEqual({
      ok: true,
      args: { code: "2.2", percent: 50, note: "已开两场" },
    });
  });
  it("tolerates full-width digits, dots, percent signs and spaces", () => {
    expect(parse("进度　２．２　５０％　已开两场")).toMatchObject({
      ok: true,
      args: { code: "2.2", percent: 50 },
    });
    expect(parse("进度 2。2 50")).toMatchObject({ ok: true, args: { code: "2.2", percent: 50 } });
  });
  it("accepts the name glued to the first argument and English aliases in any case", () => {
    expect(parse("进度2.2 50%")).toMatchObject({ ok: true, args: { code: "2.2", percent: 50 } });
    expect(parse("Progress 1.3 100%")).toMatchObject({ ok: true, args: { code: "1.3", percent: 100 } });
  });
  it("keeps the free text as typed, with its line breaks and full-width punctuation", () => {
    const r = parse("进度 2.2 50%\n已开两场，\n第三场定在 ６ 月");
    expect(r).toMatchObject({ ok: true, args: { note: "已开两场，\n第三场定在 ６ 月" } });
  });
  it("explains a missing or invalid argument with the usage line", () => {
    const missing = parse("进度 2.2");
    expect(missing).toEqual({ ok: false, error: "缺少百分比。\n用法：进度 <任务编号> <百分比> [说明]" });
    const bad = parse("进度 2.2 150%");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain("百分比「150%」不对");
    const code = parse("进度 abc 50%");
    if (!code.ok) expect(code.error).toContain("任务编号「abc」不对");
    else throw new Error("abc accepted as a task code");
  });
  it("refuses extra words after the last argument", () => {
    const registry = new Registry([{ ...progress, args: progress.args.slice(0, 2) }]);
    const cmd = registry.get("进度");
    if (!cmd) throw new Error("not registered");
    const text = "进度 2.2 50% 多余";
    const r = parseArgs(cmd, tokenize(text).slice(1), text, "zh");
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.error).toContain("多了「多余」");
  });
});

describe("registry", () => {
  it("finds commands by Chinese name and English alias, NFKC and case-insensitive", () => {
    const registry = createRegistry([progress]);
    expect(registry.get("HELP")?.name).toBe("帮助");
    expect(registry.get("？")?.name).toBe("帮助");
    expect(registry.get("jd")?.name).toBe("进度");
  });
  it("rejects two commands that claim the same name", () => {
    expect(() => new Registry([progress, { ...progress, name: "进展" }])).toThrow(/declared twice/);
  });
  it("suggests the closest command for a typo", () => {
    const registry = createRegistry([progress]);
    expect(registry.suggest("进")?.name).toBe("进度");
    expect(registry.suggest("hepl")?.name).toBe("帮助");
    expect(registry.suggest("天气预报")).toBeUndefined();
  });
  it("every declared command has help, a summary in both languages and an example", () => {
    for (const cmd of commands) {
      expect(cmd.summary.zh && cmd.summary.en && cmd.help.zh && cmd.help.en).toBeTruthy();
      expect(cmd.examples.length).toBeGreaterThan(0);
      expect(usageLine(cmd, "zh").startsWith(cmd.name)).toBe(true);
    }
  });
});
