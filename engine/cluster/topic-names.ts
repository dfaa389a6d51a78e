/**
 * Kafka's rules for topic names, in one place: 1 to 249 characters from
 * [a-zA-Z0-9._-], and not "." or "..". (Names that differ only in "." versus "_"
 * collide in Kafka's metric names; that check needs the existing topics and lives
 * with topic creation.)
 */
export const TOPIC_NAME_MAX_CHARS = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Why Kafka refuses this name, as a sentence; null when the name is fine. */
export function topicNameError(name: string): string | null {
  if (name.length === 0) return 'Topic name cannot be empty.';
  if (name === '.' || name === '..') return 'Topic name cannot be "." or "..".';
  if (name.length > TOPIC_NAME_MAX_CHARS) return `Topic name can be at most ${TOPIC_NAME_MAX_CHARS} characters (this one has ${name.length}).`;
  if (!LEGAL.test(name)) return 'Topic name may contain only letters, digits, ".", "_" and "-".';
  return null;
}

export function isValidTopicName(name: string): boolean {
  return topicNameError(name) === null;
}
