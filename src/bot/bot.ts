import { hasRole, identifySender, type PersonView } from "../domain/directory/identify.ts";
import type { Notice } from "../domain/notice.ts";
import type { Logger } from "../lib/logger.ts";
import type { IncomingMessage, OutgoingMessage } from "../platforms/types.ts";
import { parseArgs } from "./args.ts";
import { type CommandDefinition, type Reply, type Services, textReply, UserError } from "./command.ts";
import { type Locale, type MessageKey, translator } from "./i18n.ts";
import type { Registry } from "./registry.ts";
import { stripMentions, tokenize } from "./text.ts";

export interface BotOptions {
  registry: Registry;
  services: Services;
  logger: Logger;
  /** Default reply language; a person's own setting in the directory wins. */
  locale: Locale;
  /** Names the bot answers to, stripped from "@汇报 帮助". */
  botNames: readonly string[];
}

/**
 * The platform-neutral entry point: one message in, the replies out. No HTTP, no platform code.
 * Replies answer the message; messages with `to` set are notices (announcements, one-to-one messages)
 * the command asked for, which the caller routes and queues together with the replies.
 */
export interface Bot {
  handle(message: IncomingMessage): Promise<OutgoingMessage[]>;
}

export function noticeMessage(n: Notice): OutgoingMessage {
  return {
    format: "markdown",
    text: n.text,
    title: n.title,
    mentions: n.mentions.map((m) => ({ userId: "", name: m.name, personId: m.personId })),
    to: n.to,
  };
}

const ROLE_KEY: Record<string, MessageKey> = {
  admin: "roleAdmin",
  leader: "roleLeader",
  approver: "roleApprover",
  member: "roleMember",
};

function toMessages(reply: Reply | Reply[]): OutgoingMessage[] {
  const list = Array.isArray(reply) ? reply : [reply];
  return list.map((r) => (typeof r === "string" ? textReply(r) : r));
}

function allowed(cmd: CommandDefinition, person: PersonView): boolean {
  if (cmd.permission === "anyone") return true;
  if (!person.placed) return false;
  return hasRole(person, cmd.permission);
}

export function createBot(opts: BotOptions): Bot {
  const { registry, services, logger } = opts;

  return {
    async handle(message) {
      const text = stripMentions(message.text, opts.botNames);
      const person = await identifySender(services.db, {
        platform: message.platform,
        userId: message.sender.userId,
        nick: message.sender.nick,
      });
      const locale: Locale = person.locale === "en" || person.locale === "zh" ? person.locale : opts.locale;
      const t = translator(locale);
      const tokens = tokenize(text);
      const first = tokens[0];
      if (!first) return [textReply(t("greeting"))];

      const found = registry.find(first.raw);
      if (!found) {
        const suggestion = registry.suggest(first.raw);
        const lines = [t("unknownCommand", { input: text.length > 20 ? `${text.slice(0, 20)}…` : text })];
        if (suggestion) lines.push(t("didYouMean", { name: suggestion.name }));
        lines.push(t("helpHint"));
        return [textReply(lines.join(""))];
      }
      const cmd = found.command;

      if (!allowed(cmd, person)) {
        const reason = !person.placed
          ? t("notPlaced", { action: cmd.name, id: message.sender.userId })
          : t("needRole", { command: cmd.name, role: t(ROLE_KEY[cmd.permission] ?? "roleMember") });
        return [textReply(reason)];
      }

      // The name may be glued to the first argument ("进度2.2"): re-tokenize what follows the name.
      const argStart = first.start + found.consumed;
      const argTokens = tokenize(text.slice(argStart)).map((tk) => ({ ...tk, start: tk.start + argStart }));
      const parsed = parseArgs(cmd, argTokens, text, locale);
      if (!parsed.ok) return [textReply(parsed.error)];

      const notices: Notice[] = [];
      try {
        const reply = await cmd.run({
          message,
          person,
          args: parsed.args,
          locale,
          t,
          services,
          registry,
          notify: (n) => notices.push(n),
        });
        return [...toMessages(reply), ...notices.map(noticeMessage)];
      } catch (err) {
        if (err instanceof UserError) return [textReply(err.message)];
        logger.error(
          { err, command: cmd.name, messageId: message.messageId, platform: message.platform },
          "command failed",
        );
        return [textReply(t("internalError", { command: cmd.name }))];
      }
    },
  };
}
