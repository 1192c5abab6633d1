import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

/**
 * PGlite is one process per data directory; two processes on the same directory corrupt it.
 * A pid file beside the directory makes a second `huibao` (say `chat` while `serve` runs) stop
 * with a clear message instead. A lock left by a process that died is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `内置数据库 ${dataDir} 正被另一个 huibao 进程（pid ${pid}）使用。` +
        "请先停止它，或者给这个命令换一个 DATABASE_URL（例如 pglite:memory:// 试用）。",
    );
    this.name = "DataDirLockedError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new DataDirLockedError(dataDir, pid);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot lock ${dataDir}`);
}
