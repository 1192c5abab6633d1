import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileProblem } from "../../src/lib/file-problem.ts";

const dir = mkdtempSync(join(tmpdir(), "huibao-file-problem-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error the system gives for that file operation. */
const errorOf = (op: Promise<unknown>) =>
  op.then(
    () => undefined,
    (e: unknown) => e,
  );

describe("what a person is told about a file that could not be used", () => {
  it("says in Chinese what is wrong, for real errors of the system", async () => {
    const missing = join(dir, "没有这个.yaml");
    expect(fileProblem(missing, await errorOf(readFile(missing)), "read")).toBe(`找不到文件：${missing}`);
    expect(fileProblem(dir, await errorOf(readFile(dir)), "read")).toBe(`${dir} 是一个目录，不是文件`);
    const inMissingDir = join(dir, "no-such-dir", "a.xlsx");
    expect(fileProblem(inMissingDir, await errorOf(writeFile(inMissingDir, "x")), "write")).toBe(
      `无法写入 ${inMissingDir}：目录不存在`,
    );
    const file = join(dir, "plain.txt");
    writeFileSync(file, "x");
    const underFile = join(file, "a.csv");
    expect(fileProblem(underFile, await errorOf(writeFile(underFile, "x")), "write")).toBe(
      `无法写入 ${underFile}：路径中有一段不是目录`,
    );
    expect(fileProblem(underFile, await errorOf(readFile(underFile)), "read")).toBe(
      `找不到文件：${underFile}（路径中有一段不是目录）`,
    );
  });

  it("never passes on the system's English message: an unknown case shows its code only", () => {
    const odd = Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    expect(fileProblem("/srv/a.txt", odd, "read")).toBe("无法读取 /srv/a.txt（EIO）");
    expect(fileProblem("/srv/a.txt", odd, "write")).toBe("无法写入 /srv/a.txt（EIO）");
    expect(fileProblem("/srv/reports", new Error("no code"), "mkdir")).toBe(
      "无法创建目录 /srv/reports（未知错误）",
    );
  });
});
