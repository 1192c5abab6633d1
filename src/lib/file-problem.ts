/**
 * One sentence for a file the user named that could not be read or written, in every command and
 * chat reply alike. The system's own message is English and may run long: people get a short
 * reason, and the error code when there is no better one.
 */
const WRITE_REASONS: Record<string, string> = {
  ENOENT: "目录不存在",
  EACCES: "没有写入权限",
  EPERM: "没有写入权限",
  EISDIR: "这是一个目录",
  ENOTDIR: "路径中有一段不是目录",
  EROFS: "文件系统只读",
  ENOSPC: "磁盘已满",
  EEXIST: "已有同名文件",
};

export function fileProblem(path: string, err: unknown, action: "read" | "write" | "mkdir"): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "";
  if (action === "read") {
    if (code === "ENOENT") return `找不到文件：${path}`;
    if (code === "EISDIR") return `${path} 是一个目录，不是文件`;
    if (code === "EACCES" || code === "EPERM") return `没有权限读取 ${path}`;
    if (code === "ENOTDIR") return `找不到文件：${path}（路径中有一段不是目录）`;
    return `无法读取 ${path}（${code || "未知错误"}）`;
  }
  const what = action === "mkdir" ? `无法创建目录 ${path}` : `无法写入 ${path}`;
  const reason = WRITE_REASONS[code];
  return reason ? `${what}：${reason}` : `${what}（${code || "未知错误"}）`;
}
