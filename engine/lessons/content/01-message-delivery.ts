/**
 * Lesson 1, the guide's section 1 ("How Kafka Handles Message Delivery"): send the
 * guide's record, then see what acks=1 and acks=all promise by cutting a leader off
 * from its followers while a producer writes.
 */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'message-delivery',
  number: 1,
  title: 'Deliver a message, then lose one on purpose',
  guideSection: '1. How Kafka Handles Message Delivery',
  summary: 'You send the guide’s record, then watch acks=1 lose acknowledged records when a leader is cut off, and acks=all with min.insync.replicas=2 keep every one.',
  topics: [
    { name: 'user_activity', partitions: 1, replicationFactor: 3, createdBy: 'learner' },
    { name: 'delivery_fast', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '1' }, createdBy: 'setup' },
    { name: 'delivery_safe', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' }, createdBy: 'setup' },
  ],
  groups: [],
  steps: [
    {
      id: 'send-guide-record',
      title: 'Send the guide’s message',
      text: 'A producer hands a message to the broker that leads the partition. Run the guide’s producer: it sends one page_view event to user_activity (the topic is created on first use). Or create user_activity in Topics and send {"event": "page_view", "user": "userA"} from its form.',
      code: [
        {
          language: 'python',
          note: 'needs kafka-python (pip install kafka-python)',
          text: "from kafka import KafkaProducer\nimport json\n\nproducer = KafkaProducer(bootstrap_servers='{bootstrap}',\n                         value_serializer=lambda v: json.dumps(v).encode('utf-8'))\nmessage = {'event': 'page_view', 'user': 'userA', 'timestamp': '2024-09-15T12:00:00Z'}\nproducer.send('user_activity', value=message)\nproducer.flush()",
        },
      ],
      highlight: { view: 'topics', target: 'create-topic-form' },
      check: { name: 'recordsArrived', params: { topic: 'user_activity', atLeast: 1, jsonField: 'event', equals: 'page_view' } },
      hints: ['The check looks for a record whose JSON has "event": "page_view" in user_activity.', 'In the app: Topics → create user_activity → in its page, paste the JSON into Value and press Send.'],
      done: 'The leader appended your record at the end of partition 0 and its followers copied it. producer.flush() returned once the leader answered.',
    },
    {
      id: 'acks-one-load',
      title: 'Write with acks=1',
      text: 'acks=1 means the leader answers as soon as it has written the record itself, before any follower has a copy. Start the load generator on delivery_fast with acks=1 and keep it running.',
      code: [{ language: 'shell', text: 'npx kafka-console-producer --topic delivery_fast --producer-property acks=1 --bootstrap-server {bootstrap}', note: 'type lines; each line is a message' }],
      highlight: { view: 'produce', target: 'load-generator', topic: 'delivery_fast' },
      check: { name: 'recordsArrived', params: { topic: 'delivery_fast', atLeast: 200 } },
      hints: ['Produce view (Ctrl+3): choose delivery_fast, acks 1, press Start under Load generator.'],
      done: 'Records are flowing, each acknowledged by the leader alone.',
    },
    {
      id: 'acks-one-loss',
      title: 'Cut off the leader while it acknowledges',
      text: 'In the Cluster view, press Cut off on the broker that leads delivery_fast-0 (it is marked). It keeps answering the producer, but its followers cannot copy from it. After about three seconds the controller elects a new leader. Then press Heal.',
      prediction: {
        question: 'When the old leader comes back, will every record it acknowledged with acks=1 still be there?',
        options: ['Yes: Kafka never loses an acknowledged record', 'No: what only it had is thrown away'],
        answer: 1,
        explanation: 'The old leader acknowledged records that no follower had copied. The new leader never had them, so when the old one returned it cut its log back to the new leader’s (the truncation you just saw). With acks=1 an acknowledgement promises one copy, no more.',
      },
      highlight: { view: 'cluster', target: 'broker-leader', topic: 'delivery_fast' },
      check: { name: 'recordsTruncated', params: { topic: 'delivery_fast', atLeast: 1 } },
      hints: ['Keep the load generator running while you cut and heal.', 'Wait for “leader … → …” in What just happened before you press Heal.'],
      done: 'The returning broker truncated records it had acknowledged: they are gone for good.',
    },
    {
      id: 'acks-all-safe',
      title: 'The same with acks=all',
      text: 'delivery_safe has min.insync.replicas=2. Stop the generator, start it again on delivery_safe with acks all, then cut off the leader of delivery_safe-0, wait for the new leader, and heal it.',
      prediction: {
        question: 'Will any acknowledged record be lost this time?',
        options: ['Some will, as before', 'None will'],
        answer: 1,
        explanation: 'With acks=all the leader answers only once every in-sync replica has the record, and min.insync.replicas=2 refuses writes that would have fewer than two copies. The cut-off leader could not reach its followers, so it acknowledged nothing more; whatever it cut on its return had never been acknowledged.',
      },
      highlight: { view: 'cluster', target: 'broker-leader', topic: 'delivery_safe' },
      check: { name: 'survivedFailover', params: { topic: 'delivery_safe' } },
      hints: ['Produce view: topic delivery_safe, acks all, Start.', 'Cluster view: Cut off the marked broker, wait for the new leader, then Heal.'],
      done: 'Every committed record survived the failover: acks=all traded a little latency for that promise.',
    },
  ],
};
