/** Lesson 7, the guide's section 7 ("Zero-Copy for Efficient Data Transfer"). */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'zero-copy',
  number: 7,
  title: 'Bytes served as stored',
  guideSection: '7. Zero-Copy for Efficient Data Transfer',
  summary: 'You write compressed batches and read them back, and see the broker hand them out exactly as stored.',
  topics: [{ name: 'zero_copy', partitions: 1, replicationFactor: 3, createdBy: 'setup' }],
  groups: [],
  steps: [
    {
      id: 'compressed',
      title: 'Write compressed batches',
      text: 'Producers compress whole batches, not single messages. Send 2000 short messages to zero_copy with kcat and gzip (below), or in Produce start the load generator on zero_copy with compression gzip and stop it after a few seconds. The broker checks each batch and appends it as it arrived, still compressed.',
      code: [{ language: 'shell', text: "seq 1 2000 | sed 's/^/event-/' | kcat -P -b {bootstrap} -t zero_copy -z gzip", note: 'needs kcat' }],
      highlight: { view: 'produce', target: 'load-generator', topic: 'zero_copy' },
      check: { name: 'recordsArrived', params: { topic: 'zero_copy', atLeast: 1000, codec: 'gzip' } },
      hints: ['Produce view: topic zero_copy, Compression gzip, Start; Stop after a few seconds.', 'Sent without compression? Send them again with gzip: what counts is how the newest batches are stored.'],
      done: 'The log holds gzip batches, byte for byte as the producer sent them.',
    },
    {
      id: 'read',
      title: 'Read them back',
      text: 'Read zero_copy from the beginning with a consumer, and watch the bytes served to consumers as stored.',
      code: [{ language: 'shell', text: 'npx kafka-console-consumer --topic zero_copy --from-beginning --max-messages 2000 --bootstrap-server {bootstrap}', note: 'from the project folder' }],
      prediction: {
        question: 'When a consumer fetches these records, does the broker decompress them?',
        options: ['Yes, it decodes every record for the consumer', 'No, it sends the stored batches as they are'],
        answer: 1,
        explanation: 'The broker sends the stored bytes unchanged (Kafka uses sendfile so they never pass through the JVM), and the consumer decompresses them. The bytes sent to consumers grew by what they read, while the broker decoded nothing.',
      },
      highlight: { view: 'produce', target: 'zero-copy', topic: 'zero_copy' },
      check: { name: 'servedAsStored', params: { topic: 'zero_copy', atLeastBytes: 2_000, compressed: true } },
      hints: ['Any consumer counts: the console consumer, kcat -C, or a built-in consumer started in Groups.', 'The figure is in Produce, under the load generator: “served to consumers as stored”.'],
      done: 'Compressed batches went out untouched: the broker never decoded a record.',
    },
  ],
};
