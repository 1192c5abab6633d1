import { PlanInputError } from "./errors.ts";

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * The document's bytes as text. Offices save plans from Word or WPS, often as GBK; decoding those as
 * UTF-8 would import mojibake, so anything that is not clean UTF-8 text is refused with what to do.
 */
export function decodePlanBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new PlanInputError("文件是空的，没有可导入的内容");
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new PlanInputError("文件是 UTF-16 编码，请另存为 UTF-8 后再导入");
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    if (looksBinary(bytes))
      throw new PlanInputError("文件不是文本文件（可能是 Word 或 PDF），请先另存为纯文本（UTF-8）");
    throw new PlanInputError("文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 后再导入");
  }
  // A replacement character means an earlier conversion already lost the original characters.
  if (text.includes("\uFFFD"))
    throw new PlanInputError("文件里有乱码（�），可能是转换编码时出错，请从原文件重新另存为 UTF-8");
  // Control characters other than tab, line breaks and the form feed PDF tools put between pages.
  if (hasControlCharacters(text))
    throw new PlanInputError("文件不是文本文件（可能是 Word 或 PDF），请先另存为纯文本（UTF-8）");
  if (text.trim() === "") throw new PlanInputError("文件是空的，没有可导入的内容");
  return text;
}

/** Tab, line feed, form feed (a PDF page break) and carriage return are text; other controls are not. */
const isControl = (code: number) =>
  (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f;

function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 4096).some(isControl);
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}
