/**
 * Produce: the producer panel (key, value as text or JSON, headers, partition by key
 * with murmur2's pick shown as you type, acks, compression) and the load generator
 * (rate, key space, value size, acks, compression) with its throughput, the
 * partitions filling in parallel, a consumer keeping up, and the bytes brokers served
 * without re-encoding next to the bytes they received.
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../store';
import { LoadGeneratorPanel } from './LoadGeneratorPanel';
import { ProducerPanel } from './ProducerPanel';

export function ProduceView() {
  const topics = useStore(useShallow((s) => (s.snapshot?.topics ?? []).filter((t) => !t.internal).map((t) => t.name)));
  const topic = useStore((s) => s.produceTopic);
  const selectedTopic = useStore((s) => s.selectedTopic);
  const setTopic = useStore((s) => s.setProduceTopic);
  const loadTopic = useStore((s) => (s.snapshot?.records.load.running ? s.snapshot.records.load.settings?.topic ?? null : null));
  const setView = useStore((s) => s.setView);
  useEffect(() => {
    // Pick a topic that exists: the running load's, the one open in Topics, or the first.
    if (topic !== null && topics.includes(topic)) return;
    const pick = [loadTopic, selectedTopic, topics[0]].find((t) => t != null && topics.includes(t)) ?? null;
    if (pick !== topic) setTopic(pick);
  }, [topic, topics, loadTopic, selectedTopic, setTopic]);
  if (topics.length === 0) {
    return (
      <section>
        <h1>Produce</h1>
        <div className="empty" data-testid="produce-empty">
          There is no topic to write to yet. <button className="link" onClick={() => setView('topics')}>Create one in Topics</button> (Ctrl+2), then come back
          here to send records with any acks and compression, or to run a load generator.
        </div>
      </section>
    );
  }
  if (topic === null) return null;
  return (
    <section className="produce-view">
      <header className="detail-head">
        <h1>Produce</h1>
        <label className="inline-field">
          <span className="muted">to topic</span>
          <select value={topic} onChange={(e) => setTopic(e.target.value)} data-testid="produce-topic">
            {topics.map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </select>
        </label>
      </header>
      <div className="produce-columns">
        <ProducerPanel topic={topic} />
        <LoadGeneratorPanel topic={topic} />
      </div>
    </section>
  );
}
