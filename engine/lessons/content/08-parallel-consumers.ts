/** Lesson 8, the guide's section 8 ("Parallel Processing with Partitions"). */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'parallel-consumers',
  number: 8,
  title: 'One consumer per partition',
  guideSection: '8. Parallel Processing with Partitions',
  summary: 'You grow a consumer group one member at a time, watch the partitions rebalance, and see the member too many sit idle.',
  topics: [{ name: 'parallel_work', partitions: 3, replicationFactor: 3, createdBy: 'setup', seed: { records: 30, value: '{"job": {i}}', key: 'job-{i}' } }],
  groups: ['workers'],
  steps: [
    {
      id: 'one',
      title: 'One consumer reads everything',
      text: 'In Groups, start a built-in consumer in group workers on parallel_work, or run the console consumer below in a terminal and leave it running. Alone in its group, it is assigned all three partitions.',
      code: [{ language: 'shell', text: 'npx kafka-console-consumer --topic parallel_work --group workers --from-beginning --bootstrap-server {bootstrap}', note: 'keeps running; Ctrl-C stops it' }],
      highlight: { view: 'groups', target: 'builtin-consumers' },
      check: { name: 'rebalanced', params: { group: 'workers', members: 1 } },
      hints: ['Groups → “Start a built-in consumer”: Group workers, Topic parallel_work, Start consumer.'],
      done: 'The group’s leader assigned it partitions 0, 1 and 2.',
    },
    {
      id: 'three',
      title: 'Add two more',
      text: 'Start two more built-in consumers in workers. Each join triggers a rebalance: every member gives up its partitions and gets a new share. Click the group to see its members.',
      highlight: { view: 'groups', target: 'group-members' },
      check: { name: 'rebalanced', params: { group: 'workers', members: 3 } },
      hints: ['Press Start consumer twice more with Group workers and Topic parallel_work.', 'The group’s generation, beside its name, goes up with each rebalance.'],
      done: 'Three members, three partitions: one each, read in parallel.',
    },
    {
      id: 'four',
      title: 'One too many',
      text: 'Start a fourth consumer in workers.',
      prediction: {
        question: 'A fourth consumer joins a group that reads three partitions. What does it get?',
        options: ['It gets a share of the partitions', 'It gets none and sits idle'],
        answer: 1,
        explanation: 'A partition is read by one member of a group at a time, so a group can use at most as many members as there are partitions. The fourth waits as a spare: if a member leaves, it takes over.',
      },
      highlight: { view: 'groups', target: 'group-members' },
      check: { name: 'idleMember', params: { group: 'workers', topic: 'parallel_work' } },
      hints: ['Press Start consumer once more, then look at the members’ assigned partitions.'],
      done: 'One member holds no partition: more partitions, not more consumers, raise the parallelism.',
    },
  ],
};
