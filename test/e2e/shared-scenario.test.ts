import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { loadConfig } from "../../src/config.ts";
import { parseDirectoryFile } from "../../src/domain/directory/file.ts";
import { importDirectory } from "../../src/domain/directory/sync.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createMessaging } from "../../src/platforms/messaging.ts";
import { startRuntime } from "../../src/runtime.ts";
import { type DingtalkSim, startDingtalkSim } from "../sim/dingtalk/index.ts";
import { startWecomSim, type WecomSim } from "../sim/wecom/index.ts";
import { BOT, eventually } from "../support/wecom-bot.ts";

/**
 * One conversation, two transports: the same lines typed by the same person in a WeCom group and in
 * a DingTalk group get the same answers. Each answer is read where the platform delivers it.
 */
const SCENARIO: [string, RegExp][] = [
  ["帮助", /^汇报助手能做的事：\n【任务进度】任务 · 进度/],
  ["帮助 我是谁", /^我是谁\n显示你在通讯录里的姓名/],
  ["我是谁", /^张三，市城市管理局宣传科，管理员。$/],
  ["单位", /^共 1 个单位：\n· 市城市管理局宣传科（宣传科） 1 人$/],
  ["帮主", /^没听懂「帮主」。你是想用「帮助」吗？/],
  ["进度 2.2 50%", /^还没有导入工作计划。/],
];

const DIRECTORY = `
units:
  - name: 市城市管理局宣传科
    aliases: [宣传科]
people:
  - name: 张三
    unit: 宣传科
    roles: [admin]
    wecom: zhangsan
    dingtalk: "0123"
groups:
  - name: 宣传科企业微信群
    platform: wecom
    chat_id: wrShared
  - name: 宣传科钉钉群
    platform: dingtalk
    chat_id: cidShared
`;

const clock = new FakeClock("2026-11-26T02:00:00Z");
let wecom: WecomSim;
let ding: DingtalkSim;
let running: RunningServer;

beforeAll(async () => {
  wecom = await startWecomSim({ clock });
  ding = await startDingtalkSim({ clock });
  const config = loadConfig({
    DATABASE_URL: "pglite:memory://",
    PORT: "0",
    HOST: "127.0.0.1",
    WECOM_API_BASE: wecom.url,
    WECOM_BOT_TOKEN: BOT.token,
    WECOM_BOT_AES_KEY: BOT.aesKey,
    DINGTALK_APP_KEY: ding.app.appKey,
    DINGTALK_APP_SECRET: ding.app.appSecret,
    DINGTALK_ROBOT_CODE: ding.app.robotCode,
    DINGTALK_API_BASE: ding.apiUrl,
    DINGTALK_OAPI_BASE: ding.oapiUrl,
  });
  const runtime = await startRuntime(config, createLogger("silent"), clock);
  const parsed = parseDirectoryFile(DIRECTORY);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  await importDirectory(runtime.db.prisma, parsed.file);
  const messaging = createMessaging(runtime);
  running = await startServer(runtime, messaging.routers, () => messaging.stop());
  messaging.start();
});
afterAll(async () => {
  await running?.stop();
  await wecom?.close();
  await ding?.close();
});

async function viaWecom(line: string): Promise<string> {
  const message = wecom.botTextMessage({
    chatid: "wrShared",
    userid: "zhangsan",
    content: `@汇报\u2005${line}`,
  });
  await wecom.deliverBotMessage({ url: `${running.url}/wecom/bot`, ...BOT, message });
  const record = wecom.responseUrls.get(String(message.response_url));
  const body = await eventually(() => record.body);
  return String((body.markdown as { content: string }).content);
}

async function viaDingtalk(line: string): Promise<string> {
  const body = ding.textMessage({
    conversationId: "cidShared",
    conversationType: "2",
    senderStaffId: "0123",
    senderNick: "张三",
    content: ` ${line}`,
  });
  await ding.deliverCallback({ url: `${running.url}/dingtalk/bot`, body });
  const hook = ding.sessions.get(String(body.sessionWebhook));
  const sent = await eventually(() => hook.messages[0]);
  return sent.text;
}

// Platforms format differently (DingTalk markdown wants blank lines): compare the words, line by line.
const plain = (s: string) =>
  s
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n");

describe("one scenario on WeCom and DingTalk", () => {
  for (const [line, expected] of SCENARIO) {
    it(`「${line}」 gets the same answer on both platforms`, async () => {
      const [w, d] = await Promise.all([viaWecom(line), viaDingtalk(line)]);
      expect(plain(w)).toMatch(expected);
      expect(plain(d)).toEqual(plain(w));
    });
  }
});
