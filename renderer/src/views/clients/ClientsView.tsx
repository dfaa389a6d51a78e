/**
 * Clients: every connection to a broker's Kafka listener, whoever opened it (a
 * person's kafka-python, kcat or Java client, the npx tools, the built-in consumers):
 * its client id and software, where it connects from and since when, the partitions it
 * produces to and where it is reading (a consumer without a group included), its
 * groups, and the bytes it sent and received. Polled every second while open.
 */
import type { ClientView } from '../../../../engine/api/contract';
import { formatAgo, formatBytes, formatCountExact } from '../../components/format';
import { usePoll } from '../../components/usePoll';
import { useStore } from '../../store';
import { selectBootstrap } from '../../store/brokers';

const POLL_MS = 1000;
const SHOWN_PARTITIONS = 6;

export function ClientsView() {
  const load = useStore((s) => s.loadClients);
  const bootstrap = useStore(selectBootstrap);
  const { data, error } = usePoll(load, [], POLL_MS);
  const now = Date.now();
  return (
    <section data-testid="clients-view">
      <h1>Clients</h1>
      <p className="muted">
        Every connection to the brokers' Kafka listeners ({bootstrap}): your own clients, the command-line tools and the built-in consumers. A consumer that reads
        without a group shows up here, and only here.
      </p>
      {error && <p className="form-error" role="alert">{error.message}</p>}
      {data && !data.listening && <p className="muted">This engine runs without Kafka listeners, so no client can connect.</p>}
      {data && data.listening && data.clients.length === 0 && (
        <div className="empty" data-testid="clients-empty">
          No client is connected. Run one against {bootstrap.split(',')[0]} (the guide's Python, kcat, or npx kafka-console-consumer) and it appears here.
        </div>
      )}
      {data && data.clients.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="clients-table">
            <thead>
              <tr>
                <th>Client</th>
                <th className="num">Broker</th>
                <th>From</th>
                <th>Produces to</th>
                <th>Reads (next offset)</th>
                <th>Groups</th>
                <th className="num" title="Request bytes it sent / response bytes it received">In / out</th>
                <th className="num">Connected</th>
              </tr>
            </thead>
            <tbody>
              {data.clients.map((c) => (
                <ClientRow key={`${c.brokerId}/${c.connectionId}`} c={c} nowMs={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ClientRow({ c, nowMs }: { c: ClientView; nowMs: number }) {
  const id = c.clientId ?? 'no client id';
  return (
    <tr data-testid={`client-${c.clientId ?? 'anonymous'}`}>
      <td>
        <div className="mono">{id}</div>
        <div className="muted small">{c.software ?? 'software not named'}</div>
      </td>
      <td className="num">{c.brokerId}</td>
      <td className="mono small">{c.address}</td>
      <td className="mono small" data-testid="client-produces">
        {c.produces.length === 0 ? <span className="muted">—</span> : partitionsText(c.produces.map((p) => `${p.topic}-${p.partition}`))}
      </td>
      <td className="mono small" data-testid="client-fetches">
        {c.fetches.length === 0 ? <span className="muted">—</span> : partitionsText(c.fetches.map((f) => `${f.topic}-${f.partition} @${formatCountExact(f.offset)}`))}
      </td>
      <td className="small" data-testid="client-groups">
        {c.groups.length === 0 ? <span className="muted">{c.fetches.length > 0 ? 'none: reads without a group' : '—'}</span> : c.groups.join(', ')}
      </td>
      <td className="num small">
        {formatBytes(c.bytesIn)} / {formatBytes(c.bytesOut)}
      </td>
      <td className="num small" title={`${c.requests} requests`}>
        {formatAgo(c.openedAtMs, nowMs)}
      </td>
    </tr>
  );
}

function partitionsText(items: string[]): string {
  const shown = items.slice(0, SHOWN_PARTITIONS).join(', ');
  return items.length > SHOWN_PARTITIONS ? `${shown} +${items.length - SHOWN_PARTITIONS}` : shown;
}
