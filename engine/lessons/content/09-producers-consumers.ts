/** Lesson 9, the guide's section 9 ("Producers and Consumers: The Data Pipeline"). */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'producers-consumers',
  number: 9,
  title: 'Keys decide the partition',
  guideSection: '9. Producers and Consumers: The Data Pipeline',
  summary: 'You send the guide’s log record, then ten records with one key, and see them land together, in order, in one partition.',
  topics: [{ name: 'system_logs', partitions: 3, replicationFactor: 3, createdBy: 'setup' }],
  groups: ['log-readers'],
  steps: [
    {
      id: 'send-log',
      title: 'Send the guide’s log record',
      text: 'The producer side of the pipeline: send {"log_level": "ERROR", "message": "Database failure"} to system_logs, with the guide’s code or the app.',
      code: [
        {
          language: 'python',
          text: "from kafka import KafkaProducer\nimport json\n\nproducer = KafkaProducer(bootstrap_servers='{bootstrap}',\n                         value_serializer=lambda v: json.dumps(v).encode('utf-8'))\nproducer.send('system_logs', value={'log_level': 'ERROR', 'message': 'Database failure'})\nproducer.flush()",
        },
      ],
      highlight: { view: 'produce', target: 'producer-panel', topic: 'system_logs' },
      check: { name: 'recordsArrived', params: { topic: 'system_logs', atLeast: 1, jsonField: 'log_level', equals: 'ERROR' } },
      hints: ['Without a key, the record may land in any of the three partitions.'],
      done: 'The record is in one of system_logs’ partitions.',
    },
    {
      id: 'keys',
      title: 'Ten records with one key',
      text: 'Send ten records with the key db-1. A producer hashes the key (murmur2) to choose the partition, so equal keys always go to the same one, and within a partition the order is kept.',
      code: [
        {
          language: 'python',
          text: "from kafka import KafkaProducer\n\nproducer = KafkaProducer(bootstrap_servers='{bootstrap}')\nfor i in range(10):\n    producer.send('system_logs', key=b'db-1', value=b'step %d' % i)\nproducer.flush()",
        },
      ],
      prediction: {
        question: 'Ten records with key db-1: how many partitions do they end up in?',
        options: ['Spread over all three', 'All in one'],
        answer: 1,
        explanation: 'murmur2(key) mod 3 is the same for every record with key db-1, so all ten are in one partition, in the order they were sent. That is how Kafka keeps per-key order.',
      },
      highlight: { view: 'produce', target: 'producer-panel', topic: 'system_logs' },
      check: { name: 'sameKeySamePartition', params: { topic: 'system_logs', atLeast: 10 } },
      hints: ['In the producer panel, type db-1 as the key: the line under “by key” names the partition murmur2 picks.'],
      done: 'Same key, same partition, same order.',
    },
    {
      id: 'consume',
      title: 'The consumer side',
      text: 'Run the guide’s consumer loop on system_logs in group log-readers, or in Groups start a built-in consumer with group log-readers. It reads all three partitions and commits how far it got every few seconds.',
      code: [
        {
          language: 'python',
          text: "from kafka import KafkaConsumer\n\nconsumer = KafkaConsumer('system_logs', group_id='log-readers', bootstrap_servers='{bootstrap}',\n                         auto_offset_reset='earliest', value_deserializer=lambda m: m.decode('utf-8'))\nfor message in consumer:\n    print(f\"Log: {message.value}\")",
          note: 'it runs until you stop it with Ctrl-C',
        },
      ],
      highlight: { view: 'groups', target: 'builtin-consumers' },
      check: { name: 'groupCommitted', params: { group: 'log-readers', topic: 'system_logs', atLeast: 11 } },
      hints: ['The check waits for a commit covering all eleven records.'],
      done: 'Producers push, consumers pull, and the group’s committed offsets say how far the pipeline got.',
    },
  ],
};
