import EmailReplyParser from 'email-reply-parser';

export interface SubjectTags {
  model?: string;
  agent?: string;
}

const tagPattern = /\[(model|agent):\s*([^\]\s]+)\s*\]/gi;

/** `[model:NAME]` and `[agent:NAME]` of a reply's subject: they pick the model or agent for the turn the reply starts. */
export function subjectTags(subject: string): SubjectTags {
  const tags: SubjectTags = {};
  for (const m of subject.matchAll(tagPattern)) tags[m[1]!.toLowerCase() as keyof SubjectTags] = m[2]!;
  return tags;
}

/** The subject without its tags and reply prefixes. */
export function subjectText(subject: string): string {
  return subject.replace(tagPattern, '').replace(/^\s*((re|aw|sv|fwd?)\s*:\s*)+/i, '').replace(/\s+/g, ' ').trim();
}

/**
 * What the sender wrote in this reply, without the quoted mail, attribution lines ("On ... wrote:",
 * Outlook's "From: / Sent:" block) and signatures, by email-reply-parser. Empty when nothing new
 * is left: never the whole quoted mail instead.
 */
export function newReplyText(body: string): string {
  const visible = new EmailReplyParser().read(body.replace(/\r\n/g, '\n')).getVisibleText();
  return visible.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
}
