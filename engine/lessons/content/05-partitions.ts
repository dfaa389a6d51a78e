/** Lesson 5, the guide's section 5 ("High-Volume Data Processing"). */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'partitions',
  number: 5,
  title: 'Split a topic to write in parallel',
  guideSection: '5. High-Volume Data Processing',
  summary: 'You create high_traffic with four partitions and watch a load spread over them and their leaders.',
  topics: [{ name: 'high_traffic', partitions: 4, replicationFactor: 2, createdBy: 'learner' }],
  groups: [],
  steps: [
    {
      id: 'create',
      title: 'Create high_traffic with four partitions',
      text: 'Each partition is its own log with its own leader, so four partitions can be written and read four at a time. Create high_traffic with the guide’s command or in Topics.',
      code: [{ language: 'shell', text: 'npx kafka-topics --create --topic high_traffic --bootstrap-server {bootstrap} --partitions 4 --replication-factor 2' }],
      highlight: { view: 'topics', target: 'create-topic-form' },
      check: { name: 'topicCreated', params: { topic: 'high_traffic', partitions: 4, replicationFactor: 2 } },
      hints: ['In Topics, under New topic: Name high_traffic, Partitions 4, Replication factor 2, then Create topic.'],
      done: 'The controller spread the four leaders over the brokers.',
    },
    {
      id: 'load',
      title: 'Put load on it',
      text: 'In Produce, start the load generator on high_traffic at a few thousand messages per second, without keys (Key space 0). Keyless records are spread over the partitions, so every leader takes a share.',
      prediction: {
        question: 'Without keys, where do the records go?',
        options: ['All into partition 0', 'Spread over the four partitions'],
        answer: 1,
        explanation: 'A producer spreads keyless records over the partitions (the load generator evenly, Java’s sticky partitioner a batch at a time), so the four leaders share the work.',
      },
      highlight: { view: 'produce', target: 'load-generator', topic: 'high_traffic' },
      check: { name: 'spreadOverPartitions', params: { topic: 'high_traffic', partitions: 4, recordsEach: 500 } },
      hints: ['Produce view: topic high_traffic, Messages per second 5000, Key space 0, Start.', 'Watch “Partitions of high_traffic filling in parallel” under the load generator.'],
      done: 'Four logs grew side by side: that is how a topic scales.',
    },
  ],
};
