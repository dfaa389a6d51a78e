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
      text: 'acks=1 means the leader answers as soon as it has written the record itself, before any follower has a copy. In Produce, pick delivery_fast, set the load generator’s acks to 1 and press Start; keep it running. Or run a kafka-python producer in a loop (below): kafka-python uses acks=1 unless told otherwise.',
      code: [
        {
          language: 'python',
          note: 'sends until you press Ctrl-C: leave it running',
          text: "from kafka import KafkaProducer\nimport time\n\nproducer = KafkaProducer(bootstrap_servers='{bootstrap}', acks=1)\nn = 0\nwhile True:\n    producer.send('delivery_fast', value=f'record {n}'.encode('utf-8'))\n    n += 1\n    time.sleep(0.01)",
        },
      ],
      highlight: { view: 'produce', target: 'load-generator', topic: 'delivery_fast' },
      check: { name: 'recordsArrived', params: { topic: 'delivery_fast', atLeast: 200 } },
      hints: ['Produce view (Ctrl+3): topic delivery_fast; under Load generator set acks to 1 and press Start.'],
      done: 'Records are flowing, each acknowledged by the leader alone.',
    },
    {
      id: 'acks-one-loss',
      title: 'Cut off the leader while it acknowledges',
      text: 'In the Cluster view, press Cut off on the broker that leads delivery_fast-0 (outlined). It keeps taking writes, but its followers can no longer copy them. After about three seconds the controller makes another broker leader, as What just happened shows. Then press Heal on the cut-off broker.',
      prediction: {
        question: 'When the old leader comes back, will every record it acknowledged with acks=1 still be there?',
        options: ['Yes, Kafka never loses an acknowledged record', 'No, the records only it had are thrown away'],
        answer: 1,
        explanation: 'The old leader acknowledged records that no follower had copied. The new leader never had them, so when the old one returned it cut its log back to the new leader’s (the truncation you just saw). With acks=1 an acknowledgement promises one copy, no more.',
      },
      highlight: { view: 'cluster', target: 'broker-leader', topic: 'delivery_fast' },
      check: { name: 'recordsTruncated', params: { topic: 'delivery_fast', atLeast: 1 } },
      hints: ['Keep the producer running while you cut off and heal.', 'Wait until What just happened shows a new leader of delivery_fast-0 before you press Heal: healing sooner cuts nothing.'],
      done: 'The returning broker truncated records it had acknowledged: they are gone for good.',
    },
    {
      id: 'acks-all-safe',
      title: 'The same with acks=all',
      text: 'delivery_safe has min.insync.replicas=2. In Produce, pick delivery_safe and run the load generator there with acks all (-1), or the loop of step 2 with \'delivery_safe\' and acks=\'all\'. Then cut off the leader of delivery_safe-0, wait for the new leader, and heal it.',
      prediction: {
        question: 'Will any acknowledged record be lost this time?',
        options: ['Some will, as before', 'None will'],
        answer: 1,
        explanation: 'With acks=all the leader answers only once every in-sync replica has the record, and min.insync.replicas=2 refuses writes that would have fewer than two copies. The cut-off leader could not reach its followers, so it acknowledged nothing more; whatever it cut on its return had never been acknowledged.',
      },
      highlight: { view: 'cluster', target: 'broker-leader', topic: 'delivery_safe' },
      check: { name: 'survivedFailover', params: { topic: 'delivery_safe' } },
      hints: ['Produce view: topic delivery_safe; under Load generator set acks to all (-1) and press Start (or Move load to delivery_safe).', 'Cluster view: Cut off the outlined broker, wait for the new leader, then Heal.'],
      done: 'Every committed record survived the failover: acks=all traded a little latency for that promise.',
    },
  ],
};
