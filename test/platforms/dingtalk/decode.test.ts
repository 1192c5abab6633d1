import { describe, expect, it } from "vitest";
import {
  type DingtalkExtras,
  decodeDingtalkMessage,
  dingtalkDedupeKey,
} from "../../../src/platforms/dingtalk/decode.ts";
import { DingtalkDecodeError } from "../../../src/platforms/dingtalk/errors.ts";
import type { IncomingMessage } from "../../../src/platforms/types.ts";

const receivedAt = new Date("2024-05-01T08:00:00Z");
const botNames = ["汇报", "汇报助手"];
const ROBOT_DINGTALK_ID = "$:LWCP_v1:$robotXXXX==";

/** A group callback as the docs show it: DingTalk already removed the robot's @, leaving a space. */
function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    msgtype: "text",
    text: { content: " 进度 2.1 50%" },
    msgId: "msgJ7x9J7pf2B5hGVC0dF3mLg==",
    createAt: 1714550400000,
    conversationType: "2",
    conversationId: "cidAbCdEf123456==",
    conversationTitle: "宣传科工作群",
    senderId: "$:LWCP_v1:$senderOpaque==",
    senderNick: "张三",
    senderCorpId: "ding1234",
    senderStaffId: "manager123",
    isAdmin: false,
    chatbotUserId: ROBOT_DINGTALK_ID,
    robotCode: "dingrobot001",
    atUsers: [{ dingtalkId: ROBOT_DINGTALK_ID }],
    isInAtList: true,
    sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=abc",
    sessionWebhookExpiredTime: 1714557600000,
    ...overrides,
  };
}

function decoded(overrides: Record<string, unknown> = {}) {
  const result = decodeDingtalkMessage(JSON.stringify(body(overrides)), { botNames, receivedAt });
  if ("ignored" in result) throw new Error(`unexpectedly ignored: ${result.ignored}`);
  return result;
}

function decodeError(json: string): DingtalkDecodeError {
  try {
    decodeDingtalkMessage(json, { botNames, receivedAt });
  } catch (error) {
    expect(error).toBeInstanceOf(DingtalkDecodeError);
    expect((error as DingtalkDecodeError).status).toBe(400);
    return error as DingtalkDecodeError;
  }
  throw new Error("expected a DingtalkDecodeError");
}

describe("decodeDingtalkMessage", () => {
  it("maps a group message and keeps the reply door in extras", () => {
    const { message, extras } = decoded();
    expect(message).toEqual<IncomingMessage>({
      platform: "dingtalk",
      botId: "dingrobot001",
      chatId: "cidAbCdEf123456==",
      chatType: "group",
      chatName: "宣传科工作群",
      sender: { userId: "manager123", nick: "张三" },
      text: "进度 2.1 50%",
      mentions: [],
      messageId: "msgJ7x9J7pf2B5hGVC0dF3mLg==",
      receivedAt,
    });
    expect(extras).toEqual<DingtalkExtras>({
      dedupeKey: "dingtalk:manager123:msgJ7x9J7pf2B5hGVC0dF3mLg==",
      senderIdSource: "senderStaffId",
      sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=abc",
      sessionWebhookExpiredTime: 1714557600000,
      conversationTitle: "宣传科工作群",
      robotCode: "dingrobot001",
    });
  });

  it("maps a one-to-one message (conversationType 1)", () => {
    const { message } = decoded({
      conversationType: "1",
      conversationId: "cidSingle==",
      conversationTitle: undefined,
      atUsers: undefined,
      isInAtList: undefined,
      text: { content: "帮助" },
    });
    expect(message.chatType).toBe("single");
    expect(message.chatId).toBe("cidSingle==");
    expect(message.chatName).toBeUndefined();
    expect(message.text).toBe("帮助");
  });

  it("strips a leading space and a typed-out @robot name, longest name first", () => {
    expect(decoded({ text: { content: "  帮助 " } }).message.text).toBe("帮助");
    expect(decoded({ text: { content: "@汇报助手 帮助" } }).message.text).toBe("帮助");
    expect(decoded({ text: { content: " @汇报 进度 2.1" } }).message.text).toBe("进度 2.1");
    // A name glued to the text is not a mention of the robot.
    expect(decoded({ text: { content: "@汇报进度" } }).message.text).toBe("@汇报进度");
  });

  it("keeps another member's @ in the text (DingTalk already removed the robot's)", () => {
    const { message } = decoded({
      text: { content: " 审批 @李四 请看" },
      atUsers: [{ dingtalkId: ROBOT_DINGTALK_ID }, { dingtalkId: "$:LWCP_v1:$lisi==", staffId: "lisi01" }],
    });
    expect(message.text).toBe("审批 @李四 请看");
    expect(message.mentions).toEqual([{ userId: "lisi01" }]);
  });

  it("lists atUsers minus the robot, by staffId, once each, skipping members without one", () => {
    const { message } = decoded({
      atUsers: [
        { dingtalkId: ROBOT_DINGTALK_ID },
        { dingtalkId: "$:LWCP_v1:$a==", staffId: "wangwu" },
        { dingtalkId: "$:LWCP_v1:$external==" },
        { dingtalkId: "$:LWCP_v1:$a==", staffId: "wangwu" },
        { dingtalkId: "$:LWCP_v1:$b==", staffId: "zhaoliu" },
      ],
    });
    expect(message.mentions).toEqual([{ userId: "wangwu" }, { userId: "zhaoliu" }]);
  });

  it("falls back to the opaque senderId without a staffId, and says so", () => {
    const { message, extras } = decoded({ senderStaffId: undefined });
    expect(message.sender.userId).toBe("$:LWCP_v1:$senderOpaque==");
    expect(extras.senderIdSource).toBe("senderId");
    expect(extras.dedupeKey).toBe("dingtalk:$%3ALWCP_v1%3A$senderOpaque==:msgJ7x9J7pf2B5hGVC0dF3mLg==");
  });

  it("uses chatbotUserId as botId when robotCode is absent", () => {
    const { message, extras } = decoded({ robotCode: undefined });
    expect(message.botId).toBe(ROBOT_DINGTALK_ID);
    expect(extras.robotCode).toBeUndefined();
  });

  it("keeps ids as strings and accepts an expiry sent as a numeric string", () => {
    const { message, extras } = decoded({
      senderStaffId: "012345678901234567890",
      sessionWebhookExpiredTime: "1714557600000",
    });
    expect(message.sender.userId).toBe("012345678901234567890");
    expect(extras.sessionWebhookExpiredTime).toBe(1714557600000);
  });

  it("ignores non-text messages with a reason and the dedupe key", () => {
    for (const msgtype of ["picture", "richText", "audio", "file"]) {
      const result = decodeDingtalkMessage(JSON.stringify(body({ msgtype, text: undefined })), {
        botNames,
        receivedAt,
      });
      expect(result).toEqual({
        ignored: `msgtype ${msgtype}`,
        dedupeKey: "dingtalk:manager123:msgJ7x9J7pf2B5hGVC0dF3mLg==",
      });
    }
  });

  it("rejects malformed JSON and non-objects with 400", () => {
    expect(decodeError("{not json").reason).toBe("malformed");
    expect(decodeError("[1,2]").reason).toBe("malformed");
    expect(decodeError("null").reason).toBe("malformed");
    expect(decodeError("").reason).toBe("malformed");
  });

  it("rejects missing or mistyped fields with 400", () => {
    const without = (name: string) => decodeError(JSON.stringify(body({ [name]: undefined })));
    for (const name of ["msgId", "msgtype", "conversationId", "conversationType", "text"]) {
      expect(without(name).reason, name).toBe("missing-field");
    }
    expect(decodeError(JSON.stringify(body({ senderStaffId: undefined, senderId: undefined }))).reason).toBe(
      "missing-field",
    );
    expect(decodeError(JSON.stringify(body({ robotCode: undefined, chatbotUserId: undefined }))).reason).toBe(
      "missing-field",
    );
    expect(decodeError(JSON.stringify(body({ text: { content: 42 } }))).reason).toBe("missing-field");
    expect(decodeError(JSON.stringify(body({ conversationType: "3" }))).reason).toBe("invalid-field");
    expect(decodeError(JSON.stringify(body({ msgId: 12345 }))).reason).toBe("invalid-field");
    expect(decodeError(JSON.stringify(body({ atUsers: "x" }))).reason).toBe("invalid-field");
    expect(decodeError(JSON.stringify(body({ sessionWebhookExpiredTime: "soon" }))).reason).toBe(
      "invalid-field",
    );
  });
});

describe("dingtalkDedupeKey", () => {
  it("keeps sender and msgId apart even when they contain colons", () => {
    expect(dingtalkDedupeKey("a:b", "c")).not.toBe(dingtalkDedupeKey("a", "b:c"));
    expect(dingtalkDedupeKey("a%3Ab", "c")).not.toBe(dingtalkDedupeKey("a:b", "c"));
  });
});

describe("quote-replies", () => {
  it("keeps the quoted message's text and id", () => {
    const { message } = decoded({
      text: {
        content: " 同意",
        isReplyMsg: true,
        repliedMsg: {
          msgId: "msgQuoted==",
          msgType: "text",
          content: { text: "#12 待审批：微博《讲座预告》" },
        },
      },
    });
    expect(message.text).toBe("同意");
    expect(message.quote).toEqual({ messageId: "msgQuoted==", text: "#12 待审批：微博《讲座预告》" });
  });

  it("reads a quoted markdown message whose content is a plain string", () => {
    const { message } = decoded({
      text: { content: " 同意", isReplyMsg: true, repliedMsg: { content: "#7 请你审批" } },
    });
    expect(message.quote).toEqual({ text: "#7 请你审批" });
  });

  it("treats a reply it cannot read as no quote, not as an error", () => {
    expect(
      decoded({ text: { content: " 同意", isReplyMsg: true, repliedMsg: { content: 42 } } }).message.quote,
    ).toBeUndefined();
    expect(decoded().message.quote).toBeUndefined();
  });
});
