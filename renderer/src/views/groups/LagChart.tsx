/**
 * A group's lag over time (the engine samples it every second and keeps an hour): the
 * total, and optionally one line per partition. Drawn with uPlot and fed transiently
 * from store/lag-series.ts: a new sample redraws the chart (`setData`) without
 * re-rendering React. The chart is rebuilt only when its series change (a partition
 * appears, per-partition lines are switched on or off), always from the current data,
 * so its series and data never disagree.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useStore } from '../../store';
import { lagSeries } from '../../store/groups/lag-series';
import { axis, chartTheme, seriesColor } from '../../components/UPlotChart';
import { formatCount } from '../../components/format';

const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 1e8, 1e9];
const HEIGHT = 220;

/** x (seconds), total, then each partition (in lagSeries.series() order, `count` of them). */
function data(count: number): uPlot.AlignedData {
  const out: (number | null)[][] = [lagSeries.times.map((ms) => ms / 1000), lagSeries.total.slice()];
  const series = lagSeries.series();
  for (let i = 0; i < count; i++) out.push(series[i] ? series[i].lag.slice() : lagSeries.times.map(() => null));
  return out as unknown as uPlot.AlignedData;
}

export function LagChart({ groupId, perPartition }: { groupId: string; perPartition: boolean }) {
  const box = useRef<HTMLDivElement | null>(null);
  // The number of partition series: the chart is rebuilt when it changes.
  const count = useStore((s) => (s.lagVersion >= 0 ? lagSeries.partitions.size : 0));

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const theme = chartTheme();
    const names = lagSeries.series().map((s) => `${s.topic}-${s.partition}`);
    const series: uPlot.Series[] = [{}, { label: 'total lag', stroke: theme.text, width: 2, points: { show: false } }];
    for (let i = 0; i < count; i++) series.push({ label: names[i] ?? `partition ${i}`, stroke: seriesColor(i), width: 1.25, points: { show: false }, show: perPartition });
    const chart = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        series,
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(5, (max ?? 0) * 1.1)] } },
        axes: [axis(theme), axis(theme, { size: 56, incrs: COUNT_INCRS, values: (_u, ticks) => ticks.map((v) => formatCount(v)) })],
        legend: { show: true },
      },
      data(count),
      el,
    );
    const unsubscribe = useStore.subscribe((s, prev) => {
      if (s.lagVersion !== prev.lagVersion && lagSeries.partitions.size === count) chart.setData(data(count));
    });
    const resize = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(chart.width - w) > 1) chart.setSize({ width: w, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      unsubscribe();
      resize.disconnect();
      chart.destroy();
    };
  }, [groupId, perPartition, count]);

  return <div className="chart" ref={box} data-testid="lag-chart" role="img" aria-label={`Lag of group ${groupId} over time`} />;
}
