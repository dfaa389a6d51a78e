/** Lesson 4, the guide's section 4 ("Subscribing to Topics for Real-Time Data"). */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'subscribe',
  number: 4,
  title: 'Read as it arrives: consumers, groups, offsets',
  guideSection: '4. Subscribing to Topics for Real-Time Data',
  summary: 'You run the guide’s consumer, then give it a group so it remembers where it stopped, and see what auto_offset_reset decides.',
  topics: [{ name: 'user_activity', partitions: 1, replicationFactor: 3, createdBy: 'setup', seed: { records: 5, value: '{"event": "page_view", "user": "user{i}"}' } }],
  groups: ['activity-readers', 'activity-latest'],
  steps: [
    {
      id: 'groupless',
      title: 'Run the guide’s consumer',
      text: 'The guide’s consumer has no group: it reads user_activity from the first offset (auto_offset_reset=\'earliest\'), prints the five messages already there, then waits for more. The broker hands it the stored batches as they are. Leave it running: what you send later shows up at once.',
      code: [
        {
          language: 'python',
          note: 'needs kafka-python; Ctrl-C stops it',
          text: "from kafka import KafkaConsumer\nimport json\n\nconsumer = KafkaConsumer('user_activity',\n                         bootstrap_servers='{bootstrap}',\n                         auto_offset_reset='earliest',\n                         value_deserializer=lambda m: json.loads(m.decode('utf-8')))\nfor message in consumer:\n    print(f\"Received message: {message.value}\")",
        },
        { language: 'shell', text: 'npx kafka-console-consumer --topic user_activity --from-beginning --bootstrap-server {bootstrap}' },
      ],
      highlight: { view: 'topics', target: 'partition-table', topic: 'user_activity' },
      check: { name: 'servedAsStored', params: { topic: 'user_activity', atLeastBytes: 100 } },
      hints: ['Any consumer counts: the guide’s Python, the console consumer, or a built-in consumer started in Groups.'],
      done: 'A consumer without a group reads wherever it likes and the broker remembers nothing about it.',
    },
    {
      id: 'group',
      title: 'Give it a group',
      text: 'Add group_id=\'activity-readers\' to the consumer (or start a built-in consumer in that group from Groups). A group commits the offset it has read up to, so a restarted member continues there instead of starting over.',
      code: [
        {
          language: 'python',
          text: "from kafka import KafkaConsumer\n\nconsumer = KafkaConsumer('user_activity', group_id='activity-readers',\n                         bootstrap_servers='{bootstrap}', auto_offset_reset='earliest')\nfor message in consumer:\n    print(message.offset, message.value)",
        },
      ],
      highlight: { view: 'groups', target: 'builtin-consumers' },
      check: { name: 'groupCommitted', params: { group: 'activity-readers', topic: 'user_activity', atLeast: 5 } },
      hints: ['kafka-python commits every five seconds by default: give it a moment.'],
      done: 'activity-readers committed its position in __consumer_offsets, where Kafka keeps group offsets.',
    },
    {
      id: 'latest',
      title: 'A new group that starts at the end',
      text: 'Start a consumer in a new group, activity-latest, with auto_offset_reset=\'latest\' (or a built-in consumer in Groups that starts at latest). Once the group is listed in Groups, send one more message to user_activity.',
      code: [
        {
          language: 'python',
          text: "from kafka import KafkaConsumer\n\nconsumer = KafkaConsumer('user_activity', group_id='activity-latest',\n                         bootstrap_servers='{bootstrap}', auto_offset_reset='latest')\nfor message in consumer:\n    print(message.offset, message.value)",
        },
      ],
      prediction: {
        question: 'A brand-new group with auto_offset_reset=\'latest\': which messages does it print?',
        options: ['All of them, from offset 0', 'Only messages sent after it started'],
        answer: 1,
        explanation: 'A group with no committed offset asks auto_offset_reset where to begin: latest is the end of the log, so only new messages arrive. earliest would have started at the log start.',
      },
      highlight: { view: 'groups', target: 'group-list' },
      check: { name: 'groupCommitted', params: { group: 'activity-latest', topic: 'user_activity', atLeast: 1, pastArmEnd: true } },
      hints: ['Send the message after the consumer has joined (the group is listed in Groups), then give it a few seconds to commit.', 'The topic’s page in Topics has a Produce form: type a value and press Send.'],
      done: 'activity-latest began at the end and committed past your new message.',
    },
  ],
};
