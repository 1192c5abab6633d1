import { describe, expect, it } from "vitest";
import {
  type DingtalkBody,
  renderDingtalk,
  toDingtalkMarkdown,
  toGroupMessageParam,
} from "../../../src/platforms/dingtalk/render.ts";
import type { OutgoingMessage } from "../../../src/platforms/types.ts";

const md = (text: string, mentions: string[] = [], title?: string): OutgoingMessage => ({
  format: "markdown",
  text,
  mentions: mentions.map((userId) => ({ userId })),
  ...(title ? { title } : {}),
});
const plain = (text: string, mentions: string[] = []): OutgoingMessage => ({
  ...md(text, mentions),
  format: "text",
});

const contentOf = (b: DingtalkBody) => (b.msgtype === "text" ? b.text.content : b.markdown.text);
const bytes = (b: DingtalkBody) => Buffer.byteLength(JSON.stringify(b), "utf8");
const MARKER = /\n+\((\d+)\/(\d+)\)$/;
const squash = (s: string) => s.replace(/\s+/g, "");

describe("renderDingtalk: text", () => {
  it("renders a text body with @staffId in the content and in at.atUserIds", () => {
    expect(renderDingtalk(plain("进度已记录", ["manager123", "lisi01"]))).toEqual([
      {
        msgtype: "text",
        text: { content: "@manager123 @lisi01 进度已记录" },
        at: { atUserIds: ["manager123", "lisi01"], isAtAll: false },
      },
    ]);
  });

  it("does not repeat a mention the text already carries, and ignores duplicate ids", () => {
    const [body] = renderDingtalk(plain("请 @lisi01 审批", ["lisi01", "lisi01"]));
    expect(body).toEqual({
      msgtype: "text",
      text: { content: "请 @lisi01 审批" },
      at: { atUserIds: ["lisi01"], isAtAll: false },
    });
    // @lisi012 is someone else: lisi01 still needs its own @.
    expect(contentOf(renderDingtalk(plain("转 @lisi012", ["lisi01"]))[0] as DingtalkBody)).toBe(
      "@lisi01 转 @lisi012",
    );
  });

  it("keeps text newlines as they are and renders nothing for an empty message", () => {
    expect(contentOf(renderDingtalk(plain("一\n二"))[0] as DingtalkBody)).toBe("一\n二");
    expect(renderDingtalk(plain("  \n "))).toEqual([]);
  });
});

describe("renderDingtalk: markdown", () => {
  it("puts mentions in a paragraph of their own and in at.atUserIds", () => {
    expect(renderDingtalk(md("## 本周进度\n宣传科 50%", ["manager123"], "周报"))).toEqual([
      {
        msgtype: "markdown",
        markdown: { title: "周报", text: "@manager123\n\n## 本周进度\n\n宣传科 50%" },
        at: { atUserIds: ["manager123"] },
      },
    ]);
  });

  it("derives a short, bare title from the first line when none is given", () => {
    const [a] = renderDingtalk(md("## **本周** 进度\n正文"));
    expect(a?.msgtype === "markdown" && a.markdown.title).toBe("本周 进度");
    const [b] = renderDingtalk(md("一二三四五六七八九十一二三四五六七八九十一二三"));
    expect(b?.msgtype === "markdown" && b.markdown.title).toBe("一二三四五六七八九十一二三四五六七八九十…");
  });

  it("turns single newlines into paragraph breaks, but not inside fenced code", () => {
    expect(toDingtalkMarkdown("一\n二\n\n三\n```\ncode 1\ncode 2\n```\n四")).toBe(
      "一\n\n二\n\n三\n\n```\ncode 1\ncode 2\n```\n\n四",
    );
    // Windows line ends are normalised first.
    const [body] = renderDingtalk(md("一\r\n二"));
    expect(body && contentOf(body)).toBe("一\n\n二");
  });
});

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
  "表情也要保留😀👨‍👩‍👧。",
  '引号“内容”和"英文引号"都要转义。',
];

function chineseText(targetBytes: number, seed: number): string {
  const next = rng(seed);
  const paragraphs: string[] = [];
  let size = 0;
  while (size < targetBytes) {
    const lines = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
      Array.from(
        { length: 1 + Math.floor(next() * 6) },
        () => SENTENCES[Math.floor(next() * SENTENCES.length)],
      ).join(""),
    );
    const p = lines.join("\n");
    paragraphs.push(p);
    size += Buffer.byteLength(p) + 2;
  }
  return paragraphs.join("\n\n");
}

describe("renderDingtalk: splitting", () => {
  for (const format of ["text", "markdown"] as const) {
    it(`splits ${format} over 20,000 bytes into numbered parts that fit and rejoin`, () => {
      const text = chineseText(65_000, format === "text" ? 1 : 2);
      const parts = renderDingtalk({ format, text, mentions: [{ userId: "manager123" }] });
      expect(parts.length).toBeGreaterThanOrEqual(4);
      parts.forEach((part, i) => {
        expect(bytes(part)).toBeLessThanOrEqual(20_000);
        const m = MARKER.exec(contentOf(part));
        expect(m?.slice(1)).toEqual([String(i + 1), String(parts.length)]);
        // Mentions only on the first part, in both places.
        expect(part.at.atUserIds).toEqual(i === 0 ? ["manager123"] : []);
        expect(contentOf(part).includes("@manager123")).toBe(i === 0);
      });
      const rejoined = parts
        .map((p) => contentOf(p).replace(MARKER, ""))
        .join("")
        .replace("@manager123", "");
      expect(squash(rejoined)).toBe(squash(text));
      // Parts end at a sentence boundary or better, never mid-sentence.
      for (const part of parts.slice(0, -1))
        expect(contentOf(part).replace(MARKER, "")).toMatch(/[。！？；]$/);
    });
  }

  it("cuts at a paragraph boundary when one is available", () => {
    const para = "宣传科本周完成了三场宣讲活动。".repeat(300); // 13,500 bytes
    const parts = renderDingtalk(md(`${para}\n\n${para}`));
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => contentOf(p).replace(MARKER, ""))).toEqual([para, para]);
  });

  it("counts JSON escaping: newline-heavy text still fits after escaping", () => {
    const text = Array.from({ length: 4000 }, (_, i) => `第${i}行"引号"`).join("\n");
    const parts = renderDingtalk(plain(text), { maxBytes: 20_000 });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(20_000);
    expect(squash(parts.map((p) => contentOf(p).replace(MARKER, "")).join(""))).toBe(squash(text));
  });

  it("honours a smaller maxBytes and refuses one that leaves no room", () => {
    const parts = renderDingtalk(md("短句。".repeat(200)), { maxBytes: 600 });
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(600);
    expect(() =>
      renderDingtalk(md("短句。".repeat(200), [], "很长的标题".repeat(40)), { maxBytes: 300 }),
    ).toThrow(RangeError);
  });
});

describe("toGroupMessageParam", () => {
  it("maps text to sampleText and markdown to sampleMarkdown, msgParam as a JSON string", () => {
    const [text] = renderDingtalk(plain("进度已记录"));
    expect(text && toGroupMessageParam(text)).toEqual({
      msgKey: "sampleText",
      msgParam: JSON.stringify({ content: "进度已记录" }),
    });
    const [mdBody] = renderDingtalk(md("一\n二", [], "标题"));
    expect(mdBody && toGroupMessageParam(mdBody)).toEqual({
      msgKey: "sampleMarkdown",
      msgParam: JSON.stringify({ title: "标题", text: "一\n\n二" }),
    });
  });

  it("drops @staffId mentions, which the OpenAPI cannot resolve", () => {
    const [text] = renderDingtalk(plain("进度已记录", ["manager123"]));
    expect(text && JSON.parse(toGroupMessageParam(text).msgParam)).toEqual({ content: "进度已记录" });
    const [mdBody] = renderDingtalk(md("进度已记录", ["manager123"], "t"));
    expect(mdBody && JSON.parse(toGroupMessageParam(mdBody).msgParam)).toEqual({
      title: "t",
      text: "进度已记录",
    });
  });
});
