import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLError } from "yaml";

/** A mistake in a file an administrator wrote (the directory, the holiday file), by line. */
export interface YamlIssue {
  line: number;
  path: (string | number)[];
  message: string;
}

/**
 * The line an admin should look at for a path: the key's line for a field (its value may be on the
 * next lines), the item's line for a list item, or the nearest enclosing entry when the field is missing.
 */
export function lineOf(doc: Document, lines: LineCounter, path: readonly (string | number)[]): number {
  let node: unknown = doc.contents;
  let line = startLine(node, lines) ?? 1;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      line = startLine(pair.key, lines) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
      line = startLine(node, lines) ?? line;
    } else {
      break;
    }
  }
  return line;
}

export function startLine(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}

// Only codes whose meaning is unambiguous get a Chinese explanation; the parser's own codes are
// shared by several mistakes (an unclosed bracket is reported as bad indentation on the next line).
const SYNTAX_HINTS: Record<string, string> = {
  DUPLICATE_KEY: "同一个条目里有重复的字段（或重复的年份）",
  TAB_AS_INDENT: "缩进不能用 Tab，请用空格",
};
const GENERIC_HINT = "请检查这一行和上一行的缩进、冒号后的空格、括号和引号";

/** YAML syntax errors as issues: the line, and a Chinese hint, or the parser's words where we have none. */
export function syntaxIssues(errors: readonly YAMLError[], lines: LineCounter): YamlIssue[] {
  return errors.map((e) => {
    const line = e.linePos?.[0].line ?? lines.linePos(e.pos[0]).line;
    const detail = e.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? e.code;
    const hint = SYNTAX_HINTS[e.code];
    // A hint says it all; otherwise the parser's own (English) words help to find the spot.
    return {
      line,
      path: [],
      message: hint ? `YAML 语法错误：${hint}` : `YAML 语法错误：${GENERIC_HINT}（${detail}）`,
    };
  });
}
