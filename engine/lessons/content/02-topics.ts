/** Lesson 2, the guide's section 2 ("Organizing Data into Kafka Topics"). */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'topics',
  number: 2,
  title: 'Create a topic, a folder for one kind of data',
  guideSection: '2. Organizing Data into Kafka Topics',
  summary: 'You create user_activity with the guide’s command, write to it, and see what one replica means when its broker dies.',
  topics: [{ name: 'user_activity', partitions: 1, replicationFactor: 1, createdBy: 'learner' }],
  groups: [],
  steps: [
    {
      id: 'create',
      title: 'Create user_activity',
      text: 'A topic is a named log for one kind of data. Create user_activity with one partition and one replica, with the guide’s command or in Topics.',
      code: [{ language: 'shell', text: 'npx kafka-topics --create --topic user_activity --bootstrap-server {bootstrap} --partitions 1 --replication-factor 1' }],
      highlight: { view: 'topics', target: 'create-topic-form' },
      check: { name: 'topicCreated', params: { topic: 'user_activity', partitions: 1, replicationFactor: 1 } },
      hints: ['In Topics: name user_activity, partitions 1, replication factor 1, Create.'],
      done: 'The controller chose one broker for the partition and every broker learned about the topic.',
    },
    {
      id: 'write',
      title: 'Write two messages',
      text: 'Send two messages to user_activity. Each gets the next offset in partition 0: 0, then 1.',
      code: [{ language: 'shell', text: 'npx kafka-console-producer --topic user_activity --bootstrap-server {bootstrap}', note: 'type two lines, then Ctrl-D' }],
      highlight: { view: 'topics', target: 'partition-table', topic: 'user_activity' },
      check: { name: 'recordsArrived', params: { topic: 'user_activity', atLeast: 2 } },
      hints: ['The topic’s page has a Produce form under its partitions.'],
      done: 'Offsets only grow: a topic is an append-only log.',
    },
    {
      id: 'one-replica',
      title: 'Kill the only broker that holds it',
      text: 'With replication factor 1 a single broker holds user_activity-0. Find it in the Cluster view’s partition map and kill it.',
      prediction: {
        question: 'What happens to user_activity-0 when that broker dies?',
        options: ['Another broker takes over', 'It is offline until the broker returns'],
        answer: 1,
        explanation: 'No other broker has a copy, so nobody can lead the partition: it is offline, and producers and consumers of it wait.',
      },
      highlight: { view: 'cluster', target: 'broker-leader', topic: 'user_activity' },
      check: { name: 'partitionOffline', params: { topic: 'user_activity' } },
      hints: ['The marked broker card is the one to kill.'],
      done: 'Offline: one replica means no failover.',
    },
    {
      id: 'back',
      title: 'Bring it back',
      text: 'Restart the broker. It recovers its log from disk and leads user_activity-0 again, with your messages still in it.',
      highlight: { view: 'cluster', target: 'broker-leader', topic: 'user_activity' },
      check: { name: 'survivedFailover', params: { topic: 'user_activity' } },
      hints: ['Press Restart on the killed broker.'],
      done: 'The data was on disk all along; only its availability depended on that one broker.',
    },
  ],
};
