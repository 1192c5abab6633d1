import { afterAll, beforeAll, beforeEach } from "vitest";
import { startTestBot, type TestBot } from "../support/chat.ts";
import { clearTasks, type SeedTask, seedPlan, seedTasks } from "../support/tasks.ts";

export const DIRECTORY = `
units:
  - { name: 市城市管理局宣传科, aliases: [宣传科] }
  - { name: 市城市管理局环境卫生管理处, aliases: [环卫处] }
  - { name: 市城市管理局城东分局, aliases: [城东分局] }
people:
  - { name: 张三, unit: 宣传科, roles: [member] }
  - { name: 李四, unit: 宣传科, roles: [member] }
  - { name: 王五, unit: 环卫处, roles: [member] }
  - { name: 赵六, unit: 城东分局, roles: [member] }
  - { name: 管理员, unit: 环卫处, roles: [admin] }
  - { name: 只读, unit: 宣传科, roles: [] }
groups:
  - { name: 宣传科工作群, platform: local, chat_id: "group:宣传科工作群", unit: 宣传科 }
  - { name: 环卫处工作群, platform: local, chat_id: "group:环卫处工作群", unit: 环卫处 }
  - { name: 闲聊群, platform: local, chat_id: "group:闲聊群" }
`;

/** 09:00 on 10 March 2021 in Shanghai. */
export const START = "2021-03-10T01:00:00Z";

export const TASKS: SeedTask[] = [
  {
    code: "2.2",
    title: "规范新闻发布",
    body: "全年召开新闻发布会4场，由宣传科牵头，各分局配合。",
    target: 4,
    targetText: "新闻发布会4场",
    due: "2021-12-31",
    lead: ["宣传科"],
    leadText: [],
    supportText: ["各分局"],
  },
  { code: "1.1", title: "加强理论学习", due: "2021-06-30", lead: ["宣传科"], support: ["环卫处"] },
  { code: "3.1", title: "开展垃圾分类宣传", due: "2021-09-30", lead: ["环卫处"] },
];

/** One bot per test file; every test starts from the seeded plan at START. */
export function useTaskChat(tasks: SeedTask[] = TASKS): { readonly chat: TestBot } {
  let chat: TestBot | undefined;
  beforeAll(async () => {
    chat = await startTestBot({ directory: DIRECTORY, now: START });
  });
  afterAll(() => chat?.close());
  beforeEach(async () => {
    if (!chat) throw new Error("bot not started");
    chat.clock.set(START);
    await clearTasks(chat.db.prisma);
    await seedTasks(chat.db.prisma, await seedPlan(chat.db.prisma), tasks);
  });
  return {
    get chat() {
      if (!chat) throw new Error("bot not started");
      return chat;
    },
  };
}
