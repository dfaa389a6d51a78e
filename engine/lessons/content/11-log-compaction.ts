/** Lesson 11, the guide's section 11 ("Log Compaction for Data Optimization"). */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'log-compaction',
  number: 11,
  title: 'Keep only the latest value per key',
  guideSection: '11. Log Compaction for Data Optimization',
  summary: 'You turn system_logs into a compacted topic with the guide’s command, see a keyless record refused, and watch the cleaner keep one record per key.',
  // Default segment size on purpose: the records stay in the active segment, which the
  // periodic cleaner never touches, so nothing is cleaned before the learner presses
  // Clean now (small segments would let it clean them while the learner predicts).
  topics: [{ name: 'system_logs', partitions: 1, replicationFactor: 3, createdBy: 'setup' }],
  groups: [],
  steps: [
    {
      id: 'compact',
      title: 'Turn on compaction',
      text: 'Run the guide’s command (or set cleanup.policy to compact in the topic’s Configs tab).',
      code: [{ language: 'shell', text: "npx kafka-configs --alter --entity-type topics --entity-name system_logs --add-config 'cleanup.policy=compact' --bootstrap-server {bootstrap}" }],
      highlight: { view: 'topics', target: 'configs', topic: 'system_logs' },
      check: { name: 'topicConfigSet', params: { topic: 'system_logs', key: 'cleanup.policy', value: 'compact' } },
      hints: ['Topics → system_logs → Configs: type compact as cleanup.policy’s value, then Apply.'],
      done: 'system_logs is compacted: old values of a key may be removed, the latest one stays.',
    },
    {
      id: 'keyless',
      title: 'Send a record without a key',
      text: 'Send the guide’s keyless log record to system_logs again (or a record with an empty key from the app).',
      code: [
        {
          language: 'python',
          text: "from kafka import KafkaProducer\nimport json\n\nproducer = KafkaProducer(bootstrap_servers='{bootstrap}',\n                         value_serializer=lambda v: json.dumps(v).encode('utf-8'))\nfuture = producer.send('system_logs', value={'log_level': 'ERROR', 'message': 'Database failure'})\nprint(future.get(timeout=10))",
          note: 'kafka-python 2.0 is older than the INVALID_RECORD error and reports it as UnknownError',
        },
      ],
      prediction: {
        question: 'What happens to a keyless record on a compacted topic?',
        options: ['It is stored like any other', 'It is refused: compaction needs a key'],
        answer: 1,
        explanation: 'Compaction keeps the latest record per key, so a record without a key has no place in it: the broker refuses it with INVALID_RECORD.',
      },
      highlight: { view: 'produce', target: 'producer-panel', topic: 'system_logs' },
      check: { name: 'produceRefused', params: { topic: 'system_logs', errorName: 'INVALID_RECORD' } },
      hints: ['In the app: Produce view, leave the key empty, Send.'],
      done: 'Refused, with Kafka’s INVALID_RECORD.',
    },
    {
      id: 'overwrite',
      title: 'Write each key five times',
      text: 'Write 100 records over 20 keys, each key five times. In the topic’s Compaction tab, Write duplicate keys does exactly that.',
      highlight: { view: 'topics', target: 'duplicate-keys', topic: 'system_logs' },
      check: { name: 'recordsArrived', params: { topic: 'system_logs', atLeast: 100 } },
      hints: ['Topics → system_logs → Compaction: Keys 20, Values per key 5, then Write duplicate keys.'],
      done: 'The log holds every version of every key, for now.',
    },
    {
      id: 'clean',
      title: 'Clean the log',
      text: 'In the topic’s Compaction tab press Clean now: it rolls the active segment (the cleaner never touches it) and cleans everything before.',
      prediction: {
        question: 'After cleaning, how many records are left of 20 keys written five times?',
        options: ['All of them', 'One per key', 'None'],
        answer: 1,
        explanation: 'The cleaner kept the last record of each key and removed the older ones; the survivors keep their offsets, so the log now has gaps.',
      },
      highlight: { view: 'topics', target: 'compaction', topic: 'system_logs' },
      check: { name: 'cleanerRemoved', params: { topic: 'system_logs', atLeast: 40 } },
      hints: ['Topics → system_logs → Compaction → Clean now.'],
      done: 'Only the latest value per key is left, at its original offset.',
    },
  ],
};
