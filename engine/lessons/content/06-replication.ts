/** Lesson 6, the guide's section 6 ("Reliability and Fault Tolerance"). */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'replication',
  number: 6,
  title: 'Copies on other brokers: failover',
  guideSection: '6. Reliability and Fault Tolerance',
  summary: 'You kill the leader of a partition under load, watch an in-sync replica take over, and bring the broker back into the ISR.',
  topics: [{ name: 'high_traffic', partitions: 4, replicationFactor: 2, createdBy: 'setup' }],
  groups: [],
  steps: [
    {
      id: 'describe',
      title: 'Look at the replicas',
      text: 'Every partition of high_traffic has two replicas: a leader, and a follower that copies it. Isr lists the replicas that are caught up. Describe the topic with the guide’s command (or look at the partition map in Cluster), then start the load generator on it with acks all, so each write waits until every in-sync replica has it.',
      code: [{ language: 'shell', text: 'npx kafka-topics --describe --topic high_traffic --bootstrap-server {bootstrap}' }],
      highlight: { view: 'produce', target: 'load-generator', topic: 'high_traffic' },
      check: { name: 'recordsArrived', params: { topic: 'high_traffic', atLeast: 200 } },
      hints: ['Produce view: topic high_traffic, acks “all (-1)”, Start.', 'Keep it running: the next step kills a broker under load.'],
      done: 'Writes are flowing and both replicas of each partition are in sync.',
    },
    {
      id: 'kill-leader',
      title: 'Kill a leader',
      text: 'In the Cluster view, kill the broker that leads high_traffic-0 (marked).',
      prediction: {
        question: 'What happens to high_traffic-0 when its leader dies?',
        options: ['It is offline until the broker returns', 'Its in-sync follower becomes leader within seconds'],
        answer: 1,
        explanation: 'The controller noticed the broker’s session end and chose a new leader from the ISR. The load generator found the new leader and went on.',
      },
      highlight: { view: 'cluster', target: 'broker-leader', topic: 'high_traffic' },
      check: { name: 'leaderMovedAfterBrokerDown', params: { topic: 'high_traffic' } },
      hints: ['The marked card is the leader of partition 0; press Kill.'],
      done: 'A follower that was in sync took over, so nothing committed was lost.',
    },
    {
      id: 'rejoin',
      title: 'Bring it back into the ISR',
      text: 'The killed broker left every ISR it was in. Restart it: it truncates what only it had, copies what it missed from the new leaders, and rejoins the ISR.',
      highlight: { view: 'cluster', target: 'partition-map' },
      check: { name: 'isrRestored', params: { topic: 'high_traffic' } },
      hints: ['Press Restart on the killed broker and watch the ISR column.'],
      done: 'Every partition has two in-sync replicas again. You can stop the load generator in Produce now.',
    },
  ],
};
