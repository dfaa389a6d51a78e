/**
 * The live charts, drawn with uPlot from the renderer's histories (store/history.ts).
 *
 * Every chart is fed transiently: `liveFeed` subscribes to the store with
 * `useStore.subscribe` (a new snapshot redraws, at most four times a second) and ticks
 * once a second so the time axis keeps moving while nothing changes; neither
 * re-renders React. Each data
 * builder ends its series with a point at "now" that repeats the last value, so a
 * stepped line reaches the right edge.
 */
import { useRef } from 'react';
import uPlot from 'uplot';
import { useStore } from '../../store';
import { clusterHistory, partitionHistory, type PartitionSample } from '../../store/metrics';
import { UPlotChart, axis, seriesColor, type ChartData, type ChartTheme } from '../../components/UPlotChart';
import { formatBytes, formatCount } from '../../components/format';

const TICK_MS = 1000;
/** At most one redraw per this many ms: a minute-wide chart needs no more, and the page stays light under load. */
const MIN_REDRAW_MS = 250;

/** Redraws after new snapshots (coalesced to one per MIN_REDRAW_MS) and once a second. */
function liveFeed(build: () => ChartData): (draw: (data: ChartData) => void) => () => void {
  return (draw) => {
    let lastMs = 0;
    let pending: number | undefined;
    const redraw = () => {
      pending = undefined;
      lastMs = performance.now();
      draw(build());
    };
    const schedule = () => {
      if (pending !== undefined) return;
      pending = window.setTimeout(redraw, Math.max(0, lastMs + MIN_REDRAW_MS - performance.now()));
    };
    redraw();
    const unsubscribe = useStore.subscribe((s, prev) => {
      if (s.snapshot !== prev.snapshot) schedule();
    });
    const timer = window.setInterval(schedule, TICK_MS);
    return () => {
      unsubscribe();
      window.clearInterval(timer);
      window.clearTimeout(pending);
    };
  };
}

const nowS = () => Date.now() / 1000;

/** The time axis ends now and spans the window, or less while the history is shorter (at least MIN_SPAN_S). */
const MIN_SPAN_S = 20;
function timeScale(windowS: number): uPlot.Scale {
  return {
    time: true,
    range: (u) => {
      const now = nowS();
      const first = u.data[0]?.[0];
      const from = first === undefined ? now - MIN_SPAN_S : Math.max(now - windowS, Math.min(first, now - MIN_SPAN_S));
      return [from, now];
    },
  };
}

/** Whole-number tick steps: counts have no fractions. */
const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 1e9, 1e10];
const countAxis = (theme: ChartTheme, extra: uPlot.Axis = {}) => axis(theme, { size: 56, incrs: COUNT_INCRS, values: (_u, ticks) => ticks.map((v) => formatCount(v)), ...extra });
const bytesAxis = (theme: ChartTheme, extra: uPlot.Axis = {}) => axis(theme, { size: 70, values: (_u, ticks) => ticks.map((v) => `${formatBytes(Math.max(0, Math.round(v)))}`), ...extra });

const stepped = uPlot.paths.stepped!({ align: 1 });

/** Repeats the last values at "now": nothing new arrived because nothing changed. */
function extendToNow(columns: (number | null)[][]): ChartData {
  const [t, ...series] = columns;
  if (t.length > 0) {
    t.push(nowS());
    for (const s of series) s.push(s[s.length - 1] ?? null);
  }
  return [t as number[], ...series] as ChartData;
}

// ---------------------------------------------------------------------------- cluster throughput

export function ThroughputChart({ windowS = 120, height = 180 }: { windowS?: number; height?: number }) {
  const build = (): ChartData => {
    const h = clusterHistory();
    const t = h.map((s) => s.t);
    const sum = (f: (r: (typeof h)[number]['rates'][number]) => number) => h.map((s) => s.rates.reduce((n, r) => n + f(r), 0));
    const data = [t, sum((r) => r.messagesInPerS), sum((r) => r.bytesInPerS), sum((r) => r.bytesOutToConsumersPerS), sum((r) => r.bytesOutToFollowersPerS)];
    return extendToNow(data);
  };
  return (
    <UPlotChart
      structureKey={`throughput-${windowS}`}
      height={height}
      testId="throughput-chart"
      ariaLabel="Messages and bytes per second over time"
      feed={liveFeed(build)}
      options={(theme) => ({
        scales: { x: timeScale(windowS), n: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] }, b: { range: (_u, _min, max) => [0, Math.max(1024, max * 1.1)] } },
        series: [
          {},
          { label: 'messages in/s', scale: 'n', stroke: seriesColor(0), width: 2, value: (_u, v) => (v == null ? '—' : formatCount(v)) },
          { label: 'bytes in/s', scale: 'b', stroke: seriesColor(1), width: 1.5, value: (_u, v) => (v == null ? '—' : formatBytes(Math.round(v))) },
          { label: 'bytes to consumers/s', scale: 'b', stroke: seriesColor(2), width: 1.5, value: (_u, v) => (v == null ? '—' : formatBytes(Math.round(v))) },
          { label: 'bytes to followers/s', scale: 'b', stroke: seriesColor(4), width: 1, dash: [4, 4], value: (_u, v) => (v == null ? '—' : formatBytes(Math.round(v))) },
        ],
        axes: [axis(theme), countAxis(theme, { scale: 'n' }), bytesAxis(theme, { scale: 'b', side: 1, grid: { show: false } })],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      })}
    />
  );
}

// ---------------------------------------------------------------------------- load generator

export function LoadChart({ windowS = 60, height = 170 }: { windowS?: number; height?: number }) {
  const build = (): ChartData => {
    const h = clusterHistory();
    return extendToNow([
      h.map((s) => s.t),
      h.map((s) => (s.load.running ? s.load.targetPerS : null)),
      h.map((s) => s.load.recordsPerS),
      h.map((s) => s.load.readBack?.recordsPerS ?? null),
      h.map((s) => s.load.readBack?.lagRecords ?? null),
    ]);
  };
  return (
    <UPlotChart
      structureKey={`load-${windowS}`}
      height={height}
      testId="load-chart"
      ariaLabel="Load generator: target, produced and read-back records per second, and consumer lag"
      feed={liveFeed(build)}
      options={(theme) => ({
        scales: { x: timeScale(windowS), n: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] }, lag: { range: (_u, _min, max) => [0, Math.max(10, max * 1.2)] } },
        series: [
          {},
          { label: 'target/s', scale: 'n', stroke: theme.muted, width: 1, dash: [6, 4], value: (_u, v) => (v == null ? '—' : formatCount(v)) },
          { label: 'produced/s', scale: 'n', stroke: seriesColor(0), width: 2, value: (_u, v) => (v == null ? '—' : formatCount(v)) },
          { label: 'read back/s', scale: 'n', stroke: seriesColor(2), width: 1.5, value: (_u, v) => (v == null ? '—' : formatCount(v)) },
          { label: 'consumer lag', scale: 'lag', stroke: seriesColor(3), width: 1, fill: 'rgba(239,68,68,0.08)', value: (_u, v) => (v == null ? '—' : formatCount(v)) },
        ],
        axes: [axis(theme), countAxis(theme, { scale: 'n' }), countAxis(theme, { scale: 'lag', side: 1, grid: { show: false } })],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      })}
    />
  );
}

// ---------------------------------------------------------------------------- offsets per partition

/** Each partition's log end offset over time: partitions filling in parallel. */
export function OffsetsChart({ topic, partitions, windowS = 60, height = 170 }: { topic: string; partitions: number; windowS?: number; height?: number }) {
  const shown = Math.min(partitions, 12);
  const build = (): ChartData => {
    const histories = Array.from({ length: shown }, (_, p) => partitionHistory(topic, p));
    // Partitions are sampled together (one snapshot each), so their times line up.
    const base = histories.reduce((a, b) => (b.length > a.length ? b : a), [] as PartitionSample[]);
    const t = base.map((s) => s.t);
    const series = histories.map((h) => {
      const byT = new Map(h.map((s) => [s.t, s.logEndOffset]));
      return t.map((x) => byT.get(x) ?? null);
    });
    if (t.length > 0) {
      t.push(nowS());
      for (const s of series) s.push(s[s.length - 1] ?? null);
    }
    return [t, ...series] as ChartData;
  };
  return (
    <UPlotChart
      structureKey={`offsets-${topic}-${shown}-${windowS}`}
      height={height}
      testId="offsets-chart"
      ariaLabel={`Log end offset of each partition of ${topic} over time`}
      feed={liveFeed(build)}
      options={(theme) => ({
        scales: { x: timeScale(windowS), y: { range: (_u, min, max) => [Math.max(0, min), Math.max(min + 10, max * 1.02)] } },
        series: [{}, ...Array.from({ length: shown }, (_, p) => ({ label: `p${p}`, stroke: seriesColor(p), width: 1.5, paths: stepped, spanGaps: true, value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatCount(v)) }))],
        axes: [axis(theme), countAxis(theme)],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      })}
    />
  );
}

// ---------------------------------------------------------------------------- replication timeline

interface EpochMark {
  t: number;
  epoch: number;
  leader: number | null;
}

function epochMarks(h: PartitionSample[]): EpochMark[] {
  const out: EpochMark[] = [];
  for (let i = 1; i < h.length; i++) {
    if (h[i].leaderEpoch !== h[i - 1].leaderEpoch || h[i].leader !== h[i - 1].leader) out.push({ t: h[i].t, epoch: h[i].leaderEpoch, leader: h[i].leader });
  }
  return out;
}

/** Draws a dashed vertical line with a label at each leader epoch change. */
function epochMarkerPlugin(marks: () => EpochMark[], theme: ChartTheme, labels: boolean): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = seriesColor(3);
        ctx.fillStyle = theme.text;
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        for (const m of marks()) {
          const x = u.valToPos(m.t, 'x', true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          if (labels) ctx.fillText(`epoch ${m.epoch} · leader ${m.leader ?? 'none'}`, x + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

function withTail(h: PartitionSample[]): PartitionSample[] {
  if (h.length === 0) return h;
  return [...h, { ...h[h.length - 1], t: nowS() }];
}

/** Leader and followers' log end offsets and the high watermark of one partition, with epoch changes marked. */
export function ReplicationOffsetsChart({ topic, partition, replicas, windowS = 60, height = 190 }: { topic: string; partition: number; replicas: number[]; windowS?: number; height?: number }) {
  const marks = useRef<EpochMark[]>([]);
  const build = (): ChartData => {
    const raw = partitionHistory(topic, partition);
    marks.current = epochMarks(raw);
    const h = withTail(raw);
    return [h.map((s) => s.t), h.map((s) => s.highWatermark), ...replicas.map((id) => h.map((s) => s.replicaLogEndOffsets[id] ?? null))] as ChartData;
  };
  return (
    <UPlotChart
      structureKey={`repl-${topic}-${partition}-${replicas.join(',')}-${windowS}`}
      height={height}
      testId="replication-offsets-chart"
      ariaLabel={`High watermark and each replica's log end offset for ${topic}-${partition}`}
      feed={liveFeed(build)}
      options={(theme) => ({
        scales: { x: timeScale(windowS), y: { range: (_u, min, max) => [Math.max(0, min - 1), Math.max(min + 10, max * 1.02 + 1)] } },
        series: [
          {},
          { label: 'high watermark', stroke: theme.text, width: 2.5, paths: stepped, value: (_u, v) => (v == null ? '—' : formatCount(v)) },
          ...replicas.map((id, i) => ({ label: `LEO broker ${id}`, stroke: seriesColor(i), width: 1.5, dash: [3, 2], paths: stepped, value: (_u: uPlot, v: number | null) => (v == null ? 'down' : formatCount(v)) })),
        ],
        axes: [axis(theme), countAxis(theme)],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        plugins: [epochMarkerPlugin(() => marks.current, theme, true)],
      })}
    />
  );
}

/** Which replicas were in the ISR over time (a bar per broker) and which one led (the dark line). */
export function IsrTimelineChart({ topic, partition, replicas, windowS = 60 }: { topic: string; partition: number; replicas: number[]; windowS?: number }) {
  const rows = replicas.length;
  const rowOf = (id: number) => rows - replicas.indexOf(id);
  const marks = useRef<EpochMark[]>([]);
  const build = (): ChartData => {
    const raw = partitionHistory(topic, partition);
    marks.current = epochMarks(raw);
    const h = withTail(raw);
    return [
      h.map((s) => s.t),
      ...replicas.map((id) => h.map((s) => (s.isr.includes(id) ? rowOf(id) : null))),
      h.map((s) => (s.leader === null ? null : rowOf(s.leader))),
    ] as ChartData;
  };
  return (
    <UPlotChart
      structureKey={`isr-${topic}-${partition}-${replicas.join(',')}-${windowS}`}
      height={40 + rows * 30}
      testId="isr-timeline-chart"
      ariaLabel={`ISR membership and leader of ${topic}-${partition} over time`}
      feed={liveFeed(build)}
      options={(theme) => ({
        scales: { x: timeScale(windowS), y: { range: [0.4, rows + 0.6] } },
        series: [
          {},
          ...replicas.map((id, i) => ({ label: `in ISR: ${id}`, stroke: seriesColor(i), width: 12, paths: stepped, spanGaps: false, points: { show: false } })),
          { label: 'leader', stroke: theme.text, width: 3, paths: stepped, spanGaps: false, points: { show: false } },
        ],
        axes: [
          axis(theme),
          axis(theme, { size: 70, splits: () => replicas.map((id) => rowOf(id)), values: (_u, ticks) => ticks.map((v) => `broker ${replicas[rows - v] ?? ''}`), grid: { show: false } }),
        ],
        legend: { show: false },
        cursor: { show: false },
        plugins: [epochMarkerPlugin(() => marks.current, theme, false)],
      })}
    />
  );
}
