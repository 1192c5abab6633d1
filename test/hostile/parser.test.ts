import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistry } from "../../commands/index.ts";
import { parseArgs } from "../../src/bot/args.ts";
import { type ArgSpec, type CommandDefinition, defineCommand } from "../../src/bot/command.ts";
import { normalizeToken, stripMentions, tokenize } from "../../src/bot/text.ts";
import { startTestBot, type TestBot } from "../support/chat.ts";
import { chatInput, hostileText, runs } from "./arbitraries.ts";

/**
 * Whatever a member types, the parser neither throws nor answers with internals: every message gets a
 * short reply in plain words. Properties over seeded random input, Chinese and full-width heavy.
 */

const BOT_NAMES = ["汇报", "汇报助手"];
const registry = createRegistry();
const NAMES = registry.commands.flatMap((c) => [c.name, ...c.aliases]);

describe("tokenize", () => {
  it("never throws, and every token is a whitespace-free slice of the text at its offset", () => {
    fc.assert(
      fc.property(hostileText(80), (text) => {
        const tokens = tokenize(text);
        let last = -1;
        for (const t of tokens) {
          expect(t.raw.length).toBeGreaterThan(0);
          expect(t.raw).not.toMatch(/\s/u);
          expect(text.slice(t.start, t.start + t.raw.length)).toBe(t.raw);
          expect(t.norm).toBe(normalizeToken(t.raw));
          expect(t.start).toBeGreaterThan(last);
          last = t.start;
        }
        // Nothing but whitespace is lost between the tokens.
        expect(tokens.map((t) => t.raw).join("")).toBe(text.replace(/\s+/gu, ""));
      }),
      runs(),
    );
  });
});

describe("stripMentions", () => {
  it("never throws, trims, leaves no leading mention and no mention of the bot", () => {
    fc.assert(
      fc.property(chatInput(NAMES), (text) => {
        const out = stripMentions(text, BOT_NAMES);
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(/^[@＠]/u);
        const botMention = tokenize(out).find(
          (t) => /^[@＠]/u.test(t.raw) && BOT_NAMES.includes(normalizeToken(t.raw.slice(1))),
        );
        expect(botMention).toBeUndefined();
        // Stripping what is already stripped changes nothing.
        expect(stripMentions(out, BOT_NAMES)).toBe(out);
      }),
      runs(),
    );
  });
});

describe("the command registry", () => {
  it("finds commands by a prefix that is really in the token, and suggests only declared commands", () => {
    fc.assert(
      fc.property(chatInput(NAMES), (text) => {
        const first = tokenize(text)[0]?.raw ?? text;
        const found = registry.find(first);
        if (found) {
          expect(registry.commands).toContain(found.command);
          expect(found.consumed).toBeGreaterThan(0);
          expect(found.consumed).toBeLessThanOrEqual(first.length);
        }
        const suggestion = registry.suggest(first);
        if (suggestion) expect(registry.commands).toContain(suggestion);
      }),
      runs(),
    );
  });
});

describe("parseArgs", () => {
  const arg = (type: ArgSpec["type"], optional = false): ArgSpec => ({
    name: `${type}${optional ? "?" : ""}`,
    type,
    optional,
    label: { zh: type, en: type },
  });
  const command = (args: ArgSpec[]): CommandDefinition =>
    defineCommand({
      name: "测试",
      aliases: [],
      args,
      permission: "anyone",
      summary: { zh: "", en: "" },
      help: { zh: "", en: "" },
      examples: [],
      run: async () => "",
    });
  // Every grammar the declared commands use, and the synthetic ones that cover each argument type.
  const grammars = [
    ...registry.commands,
    command([arg("code"), arg("percent"), arg("text", true)]),
    command([arg("int"), arg("word", true), arg("text")]),
    command([arg("code", true), arg("percent", true), arg("int", true)]),
    command([arg("word"), arg("word")]),
  ];

  it("never throws; accepted values have their declared type, refusals explain the usage", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...grammars),
        hostileText(60),
        fc.constantFrom("zh", "en" as const),
        (cmd, source, locale) => {
          const result = parseArgs(cmd, tokenize(source), source, locale);
          if (!result.ok) {
            expect(result.error).toMatch(locale === "zh" ? /用法：/u : /usage/iu);
            return;
          }
          for (const spec of cmd.args) {
            const value = result.args[spec.name];
            if (value === undefined) {
              expect(spec.optional || spec.type === "text").toBe(true);
              continue;
            }
            if (spec.type === "code") expect(value).toMatch(/^\d{1,2}(?:\.\d{1,2}){0,2}$/u);
            if (spec.type === "percent") {
              expect(typeof value === "number" && value >= 0 && value <= 100).toBe(true);
            }
            if (spec.type === "int") expect(Number.isSafeInteger(value) && Number(value) >= 0).toBe(true);
            if (spec.type === "word") expect(value).not.toMatch(/\s/u);
          }
        },
      ),
      runs(),
    );
  });
});

/** Signs that a reply shows the program's insides instead of words for people. */
function leaks(reply: string, input: string): string | undefined {
  const unless = (pattern: RegExp, what: string) =>
    pattern.test(reply) && !pattern.test(input) ? what : undefined;
  return (
    (reply.includes("出了点问题") ? "the internal-error apology" : undefined) ??
    unless(/^\s*at .+[:(].*\d/mu, "a stack frame") ??
    unless(/Error/u, "an error name") ??
    unless(/undefined|\[object Object\]|\bNaN\b/u, "a JavaScript value") ??
    unless(/\{\w+\}/u, "an unfilled placeholder")
  );
}

describe("the whole bot, as members type", () => {
  let chat: TestBot;
  beforeAll(async () => {
    chat = await startTestBot({
      directory: `
units:
  - { name: 宣传科, aliases: [] }
  - { name: 环卫处, aliases: [] }
people:
  - { name: 张三, unit: 宣传科, roles: [member] }
  - { name: 管理员, unit: 宣传科, roles: [admin] }
groups:
  - { name: 宣传科工作群, platform: local, chat_id: "group:宣传科工作群", unit: 宣传科 }
`,
      now: "2021-03-10T01:00:00Z",
    });
  });
  afterAll(() => chat?.close());

  it("answers any message with at least one short reply in plain words", async () => {
    const speaker = fc.constantFrom("张三", "管理员", "陌生人");
    const where = fc.constantFrom("宣传科工作群", "某个新群", "dm");
    await fc.assert(
      fc.asyncProperty(speaker, where, chatInput(NAMES), async (person, place, text) => {
        const said = place === "dm" ? chat.dm(person).says(text) : chat.group(place).as(person).says(text);
        const replies = await said.replies();
        expect(replies.length).toBeGreaterThan(0);
        for (const reply of replies) {
          expect(reply.trim().length).toBeGreaterThan(0);
          expect(leaks(reply, text), reply).toBeUndefined();
        }
        await chat.announcements();
      }),
      runs(),
    );
  });
});
