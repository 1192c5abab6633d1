import { describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../../src/platforms/types.ts";
import {
  renderWecom,
  splitUtf8,
  toWecomMarkdown,
  utf8Bytes,
  wecomBody,
} from "../../../src/platforms/wecom/render.ts";

const md = (text: string, mentions: string[] = []): OutgoingMessage => ({
  format: "markdown",
  text,
  mentions: mentions.map((userId) => ({ userId })),
});
const plain = (text: string, mentions: string[] = []): OutgoingMessage => ({
  ...md(text, mentions),
  format: "text",
});

const MARKER = /\n\((\d+)\/(\d+)\)$/;
const unmark = (content: string) => content.replace(MARKER, "");
const squash = (s: string) => s.replace(/\s+/g, "");

/** A seeded generator, so a failing case can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SENTENCES = [
  "宣传科本周完成了三场宣讲活动，覆盖全体职工。",
  "下一步将继续推进！",
  "是否需要领导审批？",
  "经费已落实；场地待定。",
  "The English summary follows here. ",
  "表情也要保留😀👨‍👩‍👧。",
  "详见 [工作台](https://example.com/a?b=1) 与 **重点事项**。",
];

function chineseReply(bytes: number, random = rng(7)): string {
  const paragraphs: string[] = [];
  let total = 0;
  while (total < bytes) {
    const lines: string[] = [];
    for (let l = 0; l < 1 + Math.floor(random() * 3); l++) {
      let line = "";
      for (let k = 0; k < 1 + Math.floor(random() * 6); k++) {
        line += SENTENCES[Math.floor(random() * SENTENCES.length)];
      }
      lines.push(line.trimEnd());
    }
    const p = lines.join("\n");
    paragraphs.push(p);
    total += utf8Bytes(p) + 2;
  }
  return paragraphs.join("\n\n");
}

/** Invariants every split must keep. */
function expectWellSplit(parts: Array<{ content: string }>, maxBytes: number): void {
  parts.forEach((p, i) => {
    expect(utf8Bytes(p.content)).toBeLessThanOrEqual(maxBytes);
    // No broken surrogate pair: a lone half would not survive a UTF-8 round trip.
    expect(Buffer.from(p.content, "utf8").toString("utf8")).toBe(p.content);
    expect(p.content).not.toMatch(/<@[^>]*$|^[^<]*?>/);
    if (parts.length > 1) expect(p.content).toMatch(new RegExp(`\\n\\(${i + 1}/${parts.length}\\)$`));
    else expect(p.content).not.toMatch(MARKER);
  });
}

describe("renderWecom: markdown subset", () => {
  it("keeps headers, bold, links and quotes as they are", () => {
    const text = "# 进度\n\n**宣传科** 已完成 [详情](https://example.com/x)\n> 引用一句";
    expect(renderWecom(md(text))).toEqual([{ msgtype: "markdown", content: text }]);
  });

  it("turns a table into lines 'a：b；c' (header row included, empty cells dropped)", () => {
    const text =
      "本周进度：\n\n| 单位 | 进度 | 备注 |\n|---|:---:|--|\n| 宣传科 | 50% | 已开两场 |\n| 办公室 |  | a\\|b |\n\n完。";
    expect(toWecomMarkdown(text)).toBe(
      "本周进度：\n\n单位：进度；备注\n宣传科：50%；已开两场\n办公室：a|b\n\n完。",
    );
  });

  it("accepts tables without outer pipes and leaves non-tables alone", () => {
    expect(toWecomMarkdown("甲 | 乙\n--- | ---\n1 | 2")).toBe("甲：乙\n1：2");
    // A setext heading and a lone pipe are not tables.
    expect(toWecomMarkdown("a | b\n---")).toBe("a | b\n---");
    expect(toWecomMarkdown("进度 | 50%")).toBe("进度 | 50%");
  });

  it("leaves fenced code untouched and turns images into links", () => {
    const fenced = "```\n| a | b |\n|---|---|\n```";
    expect(toWecomMarkdown(fenced)).toBe(fenced);
    expect(toWecomMarkdown("看 ![海报](https://x.cn/p.png)")).toBe("看 [海报](https://x.cn/p.png)");
  });

  it("does not rewrite tables in plain text messages", () => {
    const text = "| a | b |\n|---|---|\n| 1 | 2 |";
    expect(renderWecom(plain(text))[0]?.content).toBe(text);
  });
});

describe("renderWecom: mentions", () => {
  it("markdown: a leading <@userid> line, duplicates removed", () => {
    const [part, ...rest] = renderWecom(md("请更新进度。", ["zhangsan", "lisi", "zhangsan"]));
    expect(rest).toEqual([]);
    expect(part).toEqual({ msgtype: "markdown", content: "<@zhangsan> <@lisi>\n请更新进度。" });
  });

  it("text: mentioned_list, content untouched", () => {
    expect(renderWecom(plain("请更新进度。", ["zhangsan"]))).toEqual([
      { msgtype: "text", content: "请更新进度。", mentioned_list: ["zhangsan"] },
    ]);
  });

  it("mentions only on the first part when split", () => {
    const text = chineseReply(5000);
    const mdParts = renderWecom(md(text, ["zhangsan"]));
    expect(mdParts.length).toBeGreaterThan(2);
    expect(mdParts[0]?.content.startsWith("<@zhangsan>\n")).toBe(true);
    expect(mdParts.slice(1).some((p) => p.content.includes("<@"))).toBe(false);
    const textParts = renderWecom(plain(text, ["zhangsan"]));
    expect(textParts[0]?.mentioned_list).toEqual(["zhangsan"]);
    expect(textParts.slice(1).every((p) => p.mentioned_list === undefined)).toBe(true);
  });

  it("never cuts inside a <@…> mention, even in a wall of mentions", () => {
    const ids = Array.from({ length: 120 }, (_, i) => `user_${String(i).padStart(3, "0")}`);
    const text = ids.map((id) => `<@${id}>`).join("");
    const parts = renderWecom(md(text), { maxBytes: 100 });
    expectWellSplit(parts, 100);
    const seen = parts.flatMap((p) => [...unmark(p.content).matchAll(/<@([^>]+)>/g)].map((m) => m[1]));
    expect(seen).toEqual(ids);
  });
});

describe("renderWecom: byte limits and boundaries", () => {
  it("a short message is one part without a marker; empty text gives nothing", () => {
    expect(renderWecom(md("好的。"))).toEqual([{ msgtype: "markdown", content: "好的。" }]);
    expect(renderWecom(md("  \n "))).toEqual([]);
  });

  it("a message of exactly maxBytes is not split; one byte more is", () => {
    const text = `${"汉".repeat(682)}ab`; // 682 × 3 + 2 = 2048 bytes
    expect(utf8Bytes(text)).toBe(2048);
    expect(renderWecom(md(text))).toHaveLength(1);
    const parts = renderWecom(md(`${text}c`));
    expect(parts).toHaveLength(2);
    expectWellSplit(parts, 2048);
  });

  it("splits at paragraphs first", () => {
    const a = "甲".repeat(200);
    const b = "乙".repeat(200);
    const c = "丙".repeat(200);
    const parts = renderWecom(md(`${a}\n\n${b}\n\n${c}`), { maxBytes: 1300 });
    expect(parts.map((p) => unmark(p.content))).toEqual([`${a}\n\n${b}`, c]);
  });

  it("then at lines, then at 。！？； (closing quotes stay with their sentence)", () => {
    const line = "一".repeat(150);
    expect(
      renderWecom(md(`${line}\n${line}\n${line}`), { maxBytes: 1000 }).map((p) => unmark(p.content)),
    ).toEqual([`${line}\n${line}`, line]);
    const s1 = `${"二".repeat(100)}。`;
    const s2 = `${"三".repeat(100)}！”`;
    const s3 = `${"四".repeat(100)}？`;
    const s4 = `${"五".repeat(100)}；`;
    const parts = renderWecom(md(s1 + s2 + s3 + s4), { maxBytes: 700 });
    expect(parts.map((p) => unmark(p.content))).toEqual([s1 + s2, s3 + s4]);
  });

  it("a heading stays with the paragraph it introduces", () => {
    const body = "内".repeat(250);
    const parts = renderWecom(md(`## 一\n\n${body}\n\n## 二\n\n${body}`), { maxBytes: 1000 });
    expect(parts.map((p) => unmark(p.content))).toEqual([`## 一\n\n${body}`, `## 二\n\n${body}`]);
  });

  it("without any boundary, cuts between characters, never inside one (CJK, emoji sequences)", () => {
    const family = "👨‍👩‍👧"; // one grapheme, 18 bytes
    const text = `${"汉".repeat(300)}${family.repeat(60)}`;
    const parts = renderWecom(md(text), { maxBytes: 200 });
    expectWellSplit(parts, 200);
    expect(parts.map((p) => unmark(p.content)).join("")).toBe(text);
    for (const p of parts) expect(unmark(p.content).split(family).join("")).toMatch(/^汉*$/);
  });

  it("a link is not cut when it fits in a part", () => {
    const link = "[工作台](https://example.com/path/to/a/rather/long/page?with=query)";
    const text = `${"字".repeat(40)}${link}${"字".repeat(40)}`;
    const parts = renderWecom(md(text), { maxBytes: 140 });
    expectWellSplit(parts, 140);
    expect(parts.some((p) => p.content.includes(link))).toBe(true);
  });

  it("a 10 KB Chinese reply splits into ≤ 2048-byte parts that join back to the content", () => {
    const text = chineseReply(10_240);
    expect(utf8Bytes(text)).toBeGreaterThan(10_000);
    const parts = renderWecom(md(text));
    expect(parts.length).toBeGreaterThanOrEqual(5);
    expectWellSplit(parts, 2048);
    // Cuts fall on paragraph boundaries here, so the parts rejoin exactly with a blank line.
    expect(parts.map((p) => unmark(p.content)).join("\n\n")).toBe(text);
  });

  it("keeps its invariants on random replies, sizes and limits (two-digit part counts included)", () => {
    const random = rng(42);
    for (let round = 0; round < 40; round++) {
      const text = chineseReply(500 + Math.floor(random() * 30_000), random);
      const maxBytes = 64 + Math.floor(random() * 2000);
      for (const message of [md(text, ["wangwu"]), plain(text, ["wangwu"])]) {
        const parts = renderWecom(message, { maxBytes });
        expectWellSplit(parts, maxBytes);
        const joined = parts.map((p) => unmark(p.content)).join("");
        const expected = message.format === "markdown" ? `<@wangwu>${text}` : text;
        expect(squash(joined)).toBe(squash(expected));
      }
    }
  });

  it("refuses a limit too small to make progress", () => {
    expect(() => renderWecom(md("x"), { maxBytes: 10 })).toThrow(RangeError);
  });
});

describe("splitUtf8", () => {
  it("pieces concatenate to exactly the input and fit the budget", () => {
    const text = chineseReply(8000, rng(3));
    for (const budget of [50, 333, 1024]) {
      const pieces = splitUtf8(text, budget);
      expect(pieces.join("")).toBe(text);
      for (const p of pieces) expect(utf8Bytes(p.trimEnd())).toBeLessThanOrEqual(budget);
    }
  });
});

describe("wecomBody", () => {
  it("wraps a part as the webhook / response_url JSON", () => {
    expect(wecomBody({ msgtype: "text", content: "hi", mentioned_list: ["a"] })).toEqual({
      msgtype: "text",
      text: { content: "hi", mentioned_list: ["a"] },
    });
    expect(wecomBody({ msgtype: "markdown", content: "**hi**" })).toEqual({
      msgtype: "markdown",
      markdown: { content: "**hi**" },
    });
  });
});
