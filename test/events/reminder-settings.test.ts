import { describe, expect, it } from "vitest";
import { useEventChat } from "./support.ts";

const HOUR = 3_600_000;
const ctx = useEventChat({ eventRemindBefore: { default: [24 * HOUR], lecture: [72 * HOUR, HOUR / 2] } });

describe("reminder offsets per kind of event", () => {
  it("use the kind's own list, else the default", async () => {
    const g = ctx.chat.group("宣传科工作群").as("张三");
    await g
      .says("新建讲座 主题：控烟 时间：12月10日下午2点")
      .expectReply(/提醒：12月7日（周一）14:00、12月10日（周四）13:30/);
    await g.says("新建活动 主题：慰问 时间：12月10日下午2点").expectReply(/提醒：12月9日（周三）14:00\n/);
    await ctx.chat.announcements();
    const heads = async () => (await ctx.chat.announcements()).map((a) => a.text.split("\n")[0]);
    await ctx.chat.advanceTo("2026-12-07T06:00:00Z");
    expect(await heads()).toEqual(["【讲座提醒】控烟（#1）还有 3 天开始"]);
    await ctx.chat.advanceTo("2026-12-09T06:00:00Z");
    expect(await heads()).toEqual(["【活动提醒】慰问（#2）还有 1 天开始"]);
    await ctx.chat.advanceTo("2026-12-10T05:30:00Z");
    expect(await heads()).toEqual(["【讲座提醒】控烟（#1）还有 30 分钟开始"]);
  });
});
