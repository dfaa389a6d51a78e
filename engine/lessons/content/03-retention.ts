/** Lesson 3, the guide's section 3 ("Persistent Message Storage"): segments, retention, a slow consumer. */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'retention',
  number: 3,
  title: 'Storage that forgets on schedule',
  guideSection: '3. Persistent Message Storage',
  summary: 'You watch a log roll into segments, then lower retention.ms and see whole segments deleted, read or not.',
  topics: [{ name: 'retention_demo', partitions: 1, replicationFactor: 3, configs: { 'segment.bytes': '2048' }, createdBy: 'setup' }],
  groups: ['retention-reader'],
  steps: [
    {
      id: 'roll',
      title: 'Fill a few segments',
      text: 'A partition’s log is a series of segment files; the newest is active and the others are closed. retention_demo rolls a new segment every 2 KiB. Write a few hundred messages and watch the segment strip grow.',
      code: [{ language: 'shell', text: 'npx kafka-configs --describe --entity-type topics --entity-name retention_demo --bootstrap-server {bootstrap}', note: 'shows the topic’s own settings (segment.bytes)' }],
      highlight: { view: 'topics', target: 'segment-strip', topic: 'retention_demo' },
      check: { name: 'segmentsRolled', params: { topic: 'retention_demo', atLeast: 3 } },
      hints: ['The load generator at a few hundred messages per second does it in seconds.'],
      done: 'Every closed segment was fsynced when the next one started.',
    },
    {
      id: 'reader',
      title: 'A consumer that reads a little and stops',
      text: 'In Groups, start a built-in consumer in group retention-reader on retention_demo, let it commit, then stop it. Its committed offset stays behind while you keep writing.',
      highlight: { view: 'groups', target: 'builtin-consumers' },
      check: { name: 'groupCommitted', params: { group: 'retention-reader', topic: 'retention_demo', atLeast: 1 } },
      hints: ['Groups → Start a consumer: group retention-reader, topic retention_demo.'],
      done: 'The group has a committed offset: where it would resume.',
    },
    {
      id: 'expire',
      title: 'Lower retention.ms',
      text: 'Set retention.ms to 1000 on retention_demo (Topics → Configs, or the command below). Retention runs every few seconds and deletes closed segments whose newest record is older than that.',
      code: [{ language: 'shell', text: 'npx kafka-configs --alter --entity-type topics --entity-name retention_demo --add-config retention.ms=1000 --bootstrap-server {bootstrap}' }],
      prediction: {
        question: 'What happens to the records retention-reader has not read yet?',
        options: ['Retention waits for the consumer', 'They are deleted with their segments'],
        answer: 1,
        explanation: 'Retention looks at time and size only. A slow consumer’s unread records went with their segments; when it resumes, its committed offset is below the log start and auto.offset.reset decides where it continues.',
      },
      highlight: { view: 'topics', target: 'configs', topic: 'retention_demo' },
      check: { name: 'segmentsDeleted', params: { topic: 'retention_demo', atLeast: 2 } },
      hints: ['The check passes on the next retention run, up to five seconds after the change.'],
      done: 'Whole segments were deleted; the active one stays.',
    },
  ],
};
