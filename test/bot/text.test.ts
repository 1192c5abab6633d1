import { describe, expect, it } from "vitest";
import { stripMentions, tokenize } from "../../src/bot/text.ts";

describe("tokenize", () => {
  it("splits on ASCII, full-width and mention spaces and line breaks, keeping offsets", () => {
    const text = "进度\u3000２．２  ５０％\n已开两场\u2005好";
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.norm)).toEqual(["进度", "2.2", "50%", "已开两场", "好"]);
    expect(tokens.map((t) => t.raw)).toEqual(["进度", "２．２", "５０％", "已开两场", "好"]);
    expect(text.slice(tokens[3]?.start)).toBe("已开两场\u2005好");
  });
});

describe("stripMentions", () => {
  const names = ["汇报", "汇报助手"];
  it("drops leading mentions and the bot's own mention anywhere", () => {
    expect(stripMentions("@汇报 进度 2.2 50%", names)).toBe("进度 2.2 50%");
    expect(stripMentions("@汇报助手\u2005帮助", names)).toBe("帮助");
    expect(stripMentions("＠汇报　帮助", names)).toBe("帮助");
    expect(stripMentions("帮助 @汇报", names)).toBe("帮助");
  });
  it("keeps mentions of other people inside the text", () => {
    expect(stripMentions("@汇报 送审 请 @李四 看看", names)).toBe("送审 请 @李四 看看");
  });
  it("leaves an empty command when the message is only a mention", () => {
    expect(stripMentions("@汇报", names)).toBe("");
  });
});
