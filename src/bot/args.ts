import type { ArgSpec, ArgValue, CommandDefinition } from "./command.ts";
import type { Locale } from "./i18n.ts";
import { pick, translator } from "./i18n.ts";
import type { Token } from "./text.ts";

export type ArgParseResult =
  | { ok: true; args: Record<string, ArgValue | undefined> }
  | { ok: false; error: string };

// After NFKC, "２．２" is "2.2"; "。" and "、" are what a Chinese keyboard gives for the dot.
const CODE = /^\d{1,2}(?:[.。、．]\d{1,2}){0,2}$/u;
const PERCENT = /^(\d{1,3}(?:\.\d+)?)%?$/u;
const INT = /^#?(\d{1,9})$/u;

type Match = { ok: true; value: ArgValue } | { ok: false; why: "whyCode" | "whyPercent" | "whyInt" };

function matchToken(spec: ArgSpec, token: Token): Match {
  const v = token.norm;
  switch (spec.type) {
    case "word":
    case "text":
      return { ok: true, value: token.raw };
    case "code":
      return CODE.test(v) ? { ok: true, value: v.replace(/[。、．]/gu, ".") } : { ok: false, why: "whyCode" };
    case "percent": {
      const m = PERCENT.exec(v);
      const n = m ? Number(m[1]) : Number.NaN;
      return n >= 0 && n <= 100 ? { ok: true, value: n } : { ok: false, why: "whyPercent" };
    }
    case "int": {
      const m = INT.exec(v);
      return m ? { ok: true, value: Number(m[1]) } : { ok: false, why: "whyInt" };
    }
  }
}

export function usageLine(cmd: CommandDefinition, locale: Locale): string {
  const parts = cmd.args.map((a) =>
    a.optional ? `[${pick(a.label, locale)}]` : `<${pick(a.label, locale)}>`,
  );
  return [cmd.name, ...parts].join(" ");
}

/**
 * Matches the tokens after the command name against the declared arguments, in order. An optional
 * argument whose token does not fit is skipped; a `text` argument takes the rest of the message as typed.
 */
export function parseArgs(
  cmd: CommandDefinition,
  tokens: Token[],
  source: string,
  locale: Locale,
): ArgParseResult {
  const t = translator(locale);
  const args: Record<string, ArgValue | undefined> = {};
  let i = 0;
  const fail = (msg: string) => ({
    ok: false as const,
    error: `${msg}\n${t("usage", { usage: usageLine(cmd, locale) })}`,
  });
  for (const spec of cmd.args) {
    const token = tokens[i];
    if (!token) {
      if (spec.optional) continue;
      return fail(t("missingArg", { arg: pick(spec.label, locale) }));
    }
    if (spec.type === "text") {
      args[spec.name] = source.slice(token.start).trim();
      i = tokens.length;
      continue;
    }
    const m = matchToken(spec, token);
    if (m.ok) {
      args[spec.name] = m.value;
      i++;
    } else if (!spec.optional) {
      return fail(t("invalidArg", { arg: pick(spec.label, locale), value: token.raw, why: t(m.why) }));
    }
  }
  const extra = tokens[i];
  if (extra) return fail(t("tooManyArgs", { extra: source.slice(extra.start).trim() }));
  return { ok: true, args };
}
