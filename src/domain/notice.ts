/**
 * A message the bot sends on its own initiative (an announcement into a group, a draft to an
 * approver), as opposed to a reply to the message being handled. Domain code names people and
 * groups by their directory ids; the platform layer turns a notice into outbox rows for the right
 * door (src/platforms/notices.ts), so the domain never learns platform ids or webhook keys.
 */
export type NoticeTarget = { groupId: number } | { personId: number };

export interface Notice {
  to: NoticeTarget;
  /** Plain text; short Markdown (bold, lists) is fine, tables are not. */
  text: string;
  /** Markdown title where a platform wants one (DingTalk). */
  title?: string;
  /** People to @-mention (in groups). */
  mentions: { personId: number; name: string }[];
}
