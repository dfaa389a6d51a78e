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
      text: 'A partition’s log is a series of segment files: the newest is active, the others are closed. retention_demo rolls a new segment every 2 KiB (the command below shows its settings). In Produce, start the load generator on retention_demo at 100 messages per second, keep it running, and watch its segment strip grow.',
      code: [{ language: 'shell', text: 'npx kafka-configs --describe --entity-type topics --entity-name retention_demo --bootstrap-server {bootstrap}', note: 'shows the topic’s own settings (segment.bytes)' }],
      highlight: { view: 'topics', target: 'segment-strip', topic: 'retention_demo' },
      check: { name: 'segmentsRolled', params: { topic: 'retention_demo', atLeast: 3 } },
      hints: ['Produce view (Ctrl+3): topic retention_demo, Messages per second 100, Start. Show me then opens the strip.'],
      done: 'Every closed segment was fsynced when the next one started.',
    },
    {
      id: 'reader',
      title: 'A consumer that reads a little and stops',
      text: 'In Groups, start a built-in consumer: group retention-reader, topic retention_demo. With its delay per message it reads slower than you write. Once it has committed, press Stop: its committed offset stays where it was while the load generator goes on.',
      highlight: { view: 'groups', target: 'builtin-consumers' },
      check: { name: 'groupCommitted', params: { group: 'retention-reader', topic: 'retention_demo', atLeast: 1 } },
      hints: ['Groups → Start a consumer: group retention-reader, topic retention_demo.'],
      done: 'The group has a committed offset: where it would resume.',
    },
    {
      id: 'expire',
      title: 'Lower retention.ms',
      text: 'Set retention.ms to 1000 on retention_demo (its Configs tab in Topics, or the command below). Every few seconds retention deletes the closed segments whose newest record is older than that.',
      code: [{ language: 'shell', text: 'npx kafka-configs --alter --entity-type topics --entity-name retention_demo --add-config retention.ms=1000 --bootstrap-server {bootstrap}' }],
      prediction: {
        question: 'What happens to the records retention-reader has not read yet?',
        options: ['Retention waits for the consumer', 'They are deleted with their segments'],
        answer: 1,
        explanation: 'Retention looks at time and size only. A slow consumer’s unread records went with their segments; when it resumes, its committed offset is below the log start and auto.offset.reset decides where it continues.',
      },
      highlight: { view: 'topics', target: 'configs', topic: 'retention_demo' },
      check: { name: 'segmentsDeleted', params: { topic: 'retention_demo', atLeast: 2, group: 'retention-reader' } },
      hints: ['Retention runs every five seconds. Keep the load generator running, so that retention-reader has messages it never read.'],
      done: 'Whole segments were deleted, with messages retention-reader never read; the active segment stays. Its log strip now shows retention-reader’s offset before the log start.',
    },
  ],
};
