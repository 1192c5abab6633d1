import type { DomainSettings } from "../../bot/command.ts";
import type { Db } from "../../db/database.ts";
import type { ApprovalChannel } from "../../generated/prisma/client.ts";
import { lockAuditChain } from "../audit/append.ts";
import { channelStages } from "./channels.ts";
import { contentSha } from "./content.ts";
import { type DraftFacts, factsOf } from "./facts.ts";
import { planVersion } from "./jobs.ts";
import { resolveStages, type StageProblem } from "./stages.ts";
import { alreadyRecorded, ROLE_SUBMITTER, recordAction, type Source } from "./trail.ts";

export interface SubmitInput {
  channel: ApprovalChannel;
  title: string;
  body: string;
  publishAt: Date | null;
  submitter: { id: number; name: string };
  platform: string;
  chatId: string;
  source: Source;
  now: Date;
  settings: DomainSettings;
}

export type SubmitResult =
  | { kind: "created"; facts: DraftFacts }
  /** The same platform message again: the draft it created before. */
  | { kind: "duplicate"; facts: DraftFacts }
  | { kind: "unreachable"; problems: StageProblem[] };

export const TX_OPTIONS = { timeout: 60_000, maxWait: 60_000 } as const;

/**
 * A new draft, version 1, waiting for its first stage. The deadline is the planned publish time,
 * else the channel's deadline_hours from now. Refused without writing anything when a stage could
 * never pass (the submitter cannot approve their own draft, and without them too few are left).
 */
export async function submitDraft(db: Db, input: SubmitInput): Promise<SubmitResult> {
  const { stages, problems } = await resolveStages(db, channelStages(input.channel), input.submitter.id);
  if (problems.length > 0) return { kind: "unreachable", problems };
  const deadline = input.publishAt ?? new Date(input.now.getTime() + input.channel.deadlineHours * 3_600_000);
  return db.$transaction(async (tx) => {
    // The audit lock first: a second delivery of the same message waits here, then finds the first.
    await lockAuditChain(tx);
    if (await alreadyRecorded(tx, null, input.source)) {
      const rec = await tx.auditRecord.findFirstOrThrow({
        where: { platform: input.source.platform, messageId: input.source.messageId, action: "submit" },
      });
      const draft = await tx.draft.findUniqueOrThrow({ where: { id: rec.draftId } });
      return { kind: "duplicate", facts: await factsOf(tx, draft) };
    }
    const draft = await tx.draft.create({
      data: {
        channel: input.channel.name,
        title: input.title,
        body: input.body,
        stages: JSON.parse(JSON.stringify(stages)),
        submitterId: input.submitter.id,
        platform: input.platform,
        chatId: input.chatId,
        publishAt: input.publishAt,
        deadline,
        createdAt: input.now,
        updatedAt: input.now,
      },
    });
    await tx.draftVersion.create({
      data: {
        draftId: draft.id,
        version: 1,
        title: draft.title,
        body: draft.body,
        sha256: contentSha(draft.title, draft.body),
        createdAt: input.now,
      },
    });
    const actor = { id: input.submitter.id, name: input.submitter.name, role: ROLE_SUBMITTER };
    await recordAction(tx, draft, actor, "submit", input.source, input.now);
    await planVersion(tx, { id: draft.id, version: 1, stage: 0, deadline }, input.now, input.settings);
    return { kind: "created", facts: await factsOf(tx, draft) };
  }, TX_OPTIONS);
}
