import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { IncomingMessage } from "../../../src/platforms/types.ts";
import { encryptMessage, verifyAndDecrypt } from "../../../src/platforms/wecom/crypto.ts";
import {
  type BotIgnored,
  decodeAppMessage,
  decodeBotMessage,
  encodeAppReplyXml,
  parseAppEnvelope,
  parseBotEnvelope,
  type WecomBotExtras,
} from "../../../src/platforms/wecom/decode.ts";
import { WecomDecodeError } from "../../../src/platforms/wecom/errors.ts";
import { parseXmlFields } from "../../../src/platforms/wecom/xml.ts";

const receivedAt = new Date("2024-05-01T08:00:00Z");
const botNames = ["汇报", "汇报助手", "huibao"];

function bot(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    msgid: "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=",
    aibotid: "AIBOTID",
    chatid: "wrkSFfCgAAxxx",
    chattype: "group",
    from: { userid: "zhangsan" },
    response_url: "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC",
    msgtype: "text",
    text: { content: "@汇报 进度 2.1 50%" },
    ...overrides,
  });
}

function decoded(json: string, names: readonly string[] = botNames) {
  const result = decodeBotMessage(json, { botNames: names, receivedAt });
  if ("ignored" in result) throw new Error(`unexpectedly ignored: ${result.ignored}`);
  return result;
}

const textOf = (content: string, overrides: Record<string, unknown> = {}, names = botNames) =>
  decoded(bot({ text: { content }, ...overrides }), names).message.text;

function decodeError(fn: () => unknown): WecomDecodeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WecomDecodeError);
    return error as WecomDecodeError;
  }
  throw new Error("expected a WecomDecodeError");
}

describe("decodeBotMessage", () => {
  it("maps a group message, keeping response_url and a composite dedupe key", () => {
    const { message, extras } = decoded(bot());
    expect(message).toEqual<IncomingMessage>({
      platform: "wecom",
      botId: "AIBOTID",
      chatId: "wrkSFfCgAAxxx",
      chatType: "group",
      sender: { userId: "zhangsan" },
      text: "进度 2.1 50%",
      mentions: [],
      messageId: "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=",
      receivedAt,
    });
    expect(extras).toEqual<WecomBotExtras>({
      dedupeKey: "wecom-bot:zhangsan:CAIQ16HMjQYY%2FNGagIOAgAMgq4KM0AI%3D",
      msgType: "text",
      reply: { responseUrl: "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC" },
    });
  });

  it("uses the sender as chatId in a single chat, which has no chatid", () => {
    const { message, extras } = decoded(
      bot({ chattype: "single", chatid: undefined, response_url: undefined, text: { content: "进度 2.1" } }),
    );
    expect([message.chatType, message.chatId, message.text]).toEqual(["single", "zhangsan", "进度 2.1"]);
    expect(extras.reply).toBeUndefined();
  });

  it("keys the same msgid from two senders apart", () => {
    const a = decoded(bot()).extras.dedupeKey;
    const b = decoded(bot({ from: { userid: "lisi" } })).extras.dedupeKey;
    expect(a).not.toBe(b);
  });

  it("strips the bot's leading @-mention followed by a space or U+2005", () => {
    expect(textOf("@汇报 进度 2.1 50%")).toBe("进度 2.1 50%");
    expect(textOf("@汇报\u2005进度 2.1 50%")).toBe("进度 2.1 50%");
    expect(textOf("  @huibao\u2005\u2005help ")).toBe("help");
    expect(textOf("@汇报")).toBe("");
  });

  it("prefers the longest configured name and needs a boundary after it", () => {
    expect(textOf("@汇报助手 进度")).toBe("进度");
    expect(textOf("@汇报助手\u2005进度", {}, ["汇报"])).toBe("进度"); // not a configured name: first @token
  });

  it("strips the bot's mention elsewhere and keeps other members' mentions", () => {
    expect(textOf("@汇报 @李四 请审批")).toBe("@李四 请审批");
    expect(textOf("进度 2.1 50% @汇报")).toBe("进度 2.1 50%");
    expect(textOf("邮件 a@汇报.com")).toBe("邮件 a@汇报.com");
  });

  it("takes the first @token as the bot in a group when no configured name appears", () => {
    expect(textOf("@RobotA\u2005hello robot", {}, [])).toBe("hello robot");
    // In a single chat nobody needs to @ the bot, so a leading mention is the member's own text.
    expect(textOf("@李四 请审批", { chattype: "single" }, [])).toBe("@李四 请审批");
  });

  it("keeps a quoted text message as QuotedMessage", () => {
    const { message, extras } = decoded(
      bot({
        quote: { msgtype: "text", text: { content: "【公告】本周例会改到周四" } },
        text: { content: "@汇报 同意" },
      }),
    );
    expect(message.text).toBe("同意");
    expect(message.quote).toEqual({ text: "【公告】本周例会改到周四" });
    expect(extras.quoteMsgType).toBe("text");
  });

  it("keeps a quote of an image as a quote with empty text", () => {
    const { message, extras } = decoded(bot({ quote: { msgtype: "image", image: { url: "https://x/y" } } }));
    expect(message.quote).toEqual({ text: "" });
    expect(extras.quoteMsgType).toBe("image");
  });

  it("joins the text parts of a mixed message", () => {
    const mixed = {
      msg_item: [
        { msgtype: "text", text: { content: "@汇报 进度 2.1" } },
        { msgtype: "image", image: { url: "https://x/y" } },
        { msgtype: "text", text: { content: "见图" } },
      ],
    };
    const { message, extras } = decoded(bot({ msgtype: "mixed", text: undefined, mixed }));
    expect(message.text).toBe("进度 2.1\n见图");
    expect(extras.msgType).toBe("mixed");
  });

  it("ignores non-text messages with a reason and a dedupe key", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ msgtype: "image", image: { url: "https://x/y" }, text: undefined }, "msgtype image"],
      [{ msgtype: "event", event: { eventtype: "enter_chat" }, chattype: undefined }, "msgtype event"],
      [
        { msgtype: "stream", stream: { id: "s1" }, chattype: undefined, aibotid: undefined },
        "msgtype stream",
      ],
      [
        { msgtype: "mixed", mixed: { msg_item: [{ msgtype: "image", image: {} }] } },
        "mixed message without text",
      ],
    ];
    for (const [overrides, reason] of cases) {
      const result = decodeBotMessage(bot(overrides), { botNames, receivedAt }) as BotIgnored;
      expect(result).toEqual({
        ignored: reason,
        dedupeKey: "wecom-bot:zhangsan:CAIQ16HMjQYY%2FNGagIOAgAMgq4KM0AI%3D",
      });
    }
  });

  it("rejects malformed JSON and missing required fields with 400", () => {
    const bad = [
      "not json",
      "[]",
      "null",
      bot({ msgid: undefined }),
      bot({ msgid: 123 }),
      bot({ msgtype: undefined }),
      bot({ from: undefined }),
      bot({ from: { userid: "" } }),
      bot({ aibotid: undefined }),
      bot({ chattype: "channel" }),
      bot({ chatid: undefined }),
      bot({ text: undefined }),
      bot({ text: { content: 42 } }),
      bot({ response_url: 7 }),
      bot({ quote: "text" }),
      bot({ quote: { msgtype: "text" } }),
      bot({ msgtype: "mixed", mixed: {} }),
    ];
    for (const json of bad) {
      const error = decodeError(() => decodeBotMessage(json, { botNames, receivedAt }));
      expect([error.status, error.code]).toEqual([400, -40002]);
    }
  });

  it("reads the encrypted envelope", () => {
    expect(parseBotEnvelope('{"encrypt":"abc+/="}')).toEqual({ encrypt: "abc+/=" });
    for (const body of ["", "{}", '{"encrypt":1}', "<xml/>"]) {
      expect(decodeError(() => parseBotEnvelope(body)).status).toBe(400);
    }
  });
});

function appXml(fields: Record<string, string>): string {
  const inner = Object.entries(fields)
    .map(([name, value]) => `<${name}>${/^\d+$/.test(value) ? value : `<![CDATA[${value}]]>`}</${name}>`)
    .join("\n");
  return `<xml>\n${inner}\n</xml>`;
}

const appText = {
  ToUserName: "ww1436e0e65a779aee",
  FromUserName: "zhangsan",
  CreateTime: "1714550400",
  MsgType: "text",
  Content: "进度 2.1 <50%> & 已开两场",
  MsgId: "1234567890123456789012", // > 2^53: a Number would round it
  AgentID: "1000002",
};

describe("decodeAppMessage", () => {
  it("maps a text message to a single chat with botId app:<AgentID>", () => {
    const result = decodeAppMessage(appXml(appText), { receivedAt });
    expect(result).toEqual({
      message: {
        platform: "wecom",
        botId: "app:1000002",
        chatId: "zhangsan",
        chatType: "single",
        sender: { userId: "zhangsan" },
        text: "进度 2.1 <50%> & 已开两场",
        mentions: [],
        messageId: "1234567890123456789012",
        receivedAt,
      },
      extras: {
        dedupeKey: "wecom-app:zhangsan:1234567890123456789012",
        toUserName: "ww1436e0e65a779aee",
        agentId: "1000002",
        createTime: "1714550400",
      },
    });
  });

  it("keeps MsgId exact when written as bare digits just above 2^53", () => {
    const xml = appXml({ ...appText, MsgId: "9007199254740993" });
    expect(xml).toContain("<MsgId>9007199254740993</MsgId>");
    const result = decodeAppMessage(xml, { receivedAt });
    expect("message" in result && result.message.messageId).toBe("9007199254740993");
  });

  it("reads entity-escaped content as well as CDATA", () => {
    const xml = appXml({ ...appText, Content: "x" }).replace("<![CDATA[x]]>", "a &lt;b&gt; &amp; c");
    const result = decodeAppMessage(xml, { receivedAt });
    expect("message" in result && result.message.text).toBe("a <b> & c");
  });

  it("ignores events with a key of sender + CreateTime + Event", () => {
    const event = { ...appText, MsgType: "event", Event: "enter_agent", Content: "", MsgId: "" };
    const key = (fields: Record<string, string>) => decodeAppMessage(appXml(fields), { receivedAt });
    expect(key(event)).toEqual({
      ignored: "event enter_agent",
      dedupeKey: "wecom-app-event:zhangsan:1714550400:enter_agent",
    });
    const keys = new Set(
      [
        event,
        { ...event, FromUserName: "lisi" },
        { ...event, CreateTime: "1714550401" },
        { ...event, Event: "click" },
      ].map((e) => (key(e) as BotIgnored).dedupeKey),
    );
    expect(keys.size).toBe(4);
  });

  it("ignores non-text messages and other agents, with the message's dedupe key", () => {
    const image = decodeAppMessage(appXml({ ...appText, MsgType: "image" }), { receivedAt });
    expect(image).toEqual({
      ignored: "msgtype image",
      dedupeKey: "wecom-app:zhangsan:1234567890123456789012",
    });
    const other = decodeAppMessage(appXml(appText), { receivedAt, agentId: "1000003" });
    expect(other).toMatchObject({ ignored: "agent 1000002" });
  });

  it("falls back to the configured agent id when AgentID is absent", () => {
    const { AgentID: _omitted, ...withoutAgent } = appText;
    const result = decodeAppMessage(appXml(withoutAgent), { receivedAt, agentId: "1000002" });
    expect("message" in result && result.message.botId).toBe("app:1000002");
    expect(decodeError(() => decodeAppMessage(appXml(withoutAgent), { receivedAt })).status).toBe(400);
  });

  it("rejects malformed XML, a DOCTYPE and missing fields with 400", () => {
    const { FromUserName: _f, ...noSender } = appText;
    const { Content: _c, ...noContent } = appText;
    const bad = [
      "",
      "not xml",
      "<xml><MsgType>text</xml>",
      "<root><MsgType>text</MsgType></root>",
      '<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>',
      appXml(noSender),
      appXml(noContent),
      appXml(appText)
        .replace("<FromUserName>", "<FromUserName><x/>")
        .replace("</FromUserName>", "</FromUserName>"),
      appXml(appText).replace("</xml>", "<FromUserName>lisi</FromUserName></xml>"),
    ];
    for (const xml of bad) {
      const error = decodeError(() => decodeAppMessage(xml, { receivedAt }));
      expect([error.status, error.code]).toEqual([400, -40002]);
    }
  });
});

describe("app envelope and reply", () => {
  it("parses the encrypted envelope of protocols.md", () => {
    const body =
      "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
    expect(parseAppEnvelope(body)).toEqual({
      encrypt: "abc+/=",
      toUserName: "ww1436e0e65a779aee",
      agentId: "1000002",
    });
    for (const broken of [
      "",
      "<xml></xml>",
      "<xml><Encrypt></Encrypt></xml>",
      "<xml><Encrypt>a</xml>",
      "{}",
    ]) {
      expect(decodeError(() => parseAppEnvelope(broken)).status).toBe(400);
    }
  });

  it("encodes a passive text reply that parses back exactly, even with ]]> in the content", () => {
    const content = "已记录 <2.1> & 50% ]]> 完";
    const xml = encodeAppReplyXml({
      toUser: "zhangsan",
      fromCorp: "ww1436e0e65a779aee",
      content,
      now: receivedAt,
    });
    expect(parseXmlFields(xml, "reply")).toEqual({
      ToUserName: "zhangsan",
      FromUserName: "ww1436e0e65a779aee",
      CreateTime: String(receivedAt.getTime() / 1000),
      MsgType: "text",
      Content: content,
    });
  });

  it("decodes an app message end to end: envelope → verify → decrypt → decode", () => {
    const token = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
    const aesKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
    const corpId = "ww1436e0e65a779aee";
    const encrypt = encryptMessage({ aesKey, message: appXml(appText), receiveId: corpId });
    const envelope = `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
    const msg_signature = createHash("sha1")
      .update([token, "1714550400", "n", encrypt].sort().join(""))
      .digest("hex");
    const plain = verifyAndDecrypt({
      token,
      aesKey,
      receiveId: corpId,
      query: { msg_signature, timestamp: "1714550400", nonce: "n" },
      encrypt: parseAppEnvelope(envelope).encrypt,
      maxSkewSeconds: 0,
    });
    const result = decodeAppMessage(plain, { receivedAt, agentId: "1000002" });
    expect("message" in result && result.message.messageId).toBe("1234567890123456789012");
  });
});
