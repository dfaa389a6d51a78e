/** Lesson 10, the guide's section 10 ("Brokers: Kafka’s Backbone"). */
import type { Lesson } from '../lesson';

export const lesson: Lesson = {
  id: 'brokers',
  number: 10,
  title: 'Brokers and the controller',
  guideSection: '10. Brokers: Kafka’s Backbone',
  summary: 'You kill the controller and see another broker take the role, then watch leadership return to the preferred replicas.',
  topics: [{ name: 'broker_tour', partitions: 6, replicationFactor: 3, createdBy: 'setup' }],
  groups: [],
  steps: [
    {
      id: 'controller',
      title: 'Kill the controller',
      text: 'One broker is also the controller: it decides leaders and ISRs for the whole cluster. Kill the broker marked controller.',
      prediction: {
        question: 'What happens when the controller dies?',
        options: ['No more leader changes until it returns', 'Another broker becomes controller within seconds'],
        answer: 1,
        explanation: 'Any broker can be controller. When the controller’s session ended, the quorum chose another live broker, which then moved the dead broker’s leaderships.',
      },
      highlight: { view: 'cluster', target: 'broker-controller' },
      check: { name: 'controllerMoved', params: {} },
      hints: ['The card with the controller badge.'],
      done: 'A new controller took over and reassigned the leaderships the dead broker held.',
    },
    {
      id: 'preferred',
      title: 'Leadership comes home',
      text: 'Restart the broker. Each partition has a preferred leader: the first broker in its replica list, starred in the partition map. A few seconds after the broker is back in sync, the controller moves leadership back to it, spreading the load again.',
      highlight: { view: 'cluster', target: 'partition-map' },
      check: { name: 'preferredLeadersBack', params: { topic: 'broker_tour' } },
      hints: ['The controller checks the balance every five seconds.'],
      done: 'Every partition is led by its preferred replica: the leaders are spread over the brokers again.',
    },
  ],
};
