/**
 * A uPlot chart that React mounts once and never re-renders with data.
 *
 * The chart is created in the first animation frame after the component mounts (so a
 * view switch paints at once), again when `structureKey` changes (other series,
 * another partition), and fed by `feed`, which subscribes to
 * the store transiently and calls `draw(data)` whenever there is something new. The
 * width follows the container (ResizeObserver); colours follow the OS theme (the
 * chart is rebuilt when it flips).
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartData = uPlot.AlignedData;

export interface ChartTheme {
  text: string;
  grid: string;
  muted: string;
}

export const SERIES_COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#ec4899', '#14b8a6', '#eab308', '#6366f1', '#f97316', '#06b6d4', '#84cc16'];

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length];
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function chartTheme(): ChartTheme {
  return { text: cssVar('--text', '#1b1f24'), grid: cssVar('--border', '#d9dde3'), muted: cssVar('--muted', '#5d6673') };
}

/** Axis styling shared by every chart. */
export function axis(theme: ChartTheme, extra: uPlot.Axis = {}): uPlot.Axis {
  return { stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 }, font: '11px system-ui, sans-serif', ...extra };
}

export interface UPlotChartProps {
  /** Builds the options (without width and height) for the current theme. */
  options: (theme: ChartTheme) => Omit<uPlot.Options, 'width' | 'height'>;
  height: number;
  /** Subscribes to whatever feeds the chart; calls draw with new data; returns the unsubscribe. */
  feed: (draw: (data: ChartData) => void) => () => void;
  /** Rebuild the chart when this changes (series added, another partition picked). */
  structureKey: string;
  testId?: string;
  ariaLabel: string;
}

export function UPlotChart({ options, height, feed, structureKey, testId, ariaLabel }: UPlotChartProps) {
  const box = useRef<HTMLDivElement | null>(null);
  // The latest callbacks, without rebuilding the chart when a parent re-renders.
  const optionsRef = useRef(options);
  const feedRef = useRef(feed);
  optionsRef.current = options;
  feedRef.current = feed;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let chart: uPlot | null = null;
    let last: ChartData | null = null;
    let unfeed: (() => void) | null = null;
    const build = () => {
      chart?.destroy();
      if (!el.isConnected) return;
      const opts = optionsRef.current(chartTheme());
      const width = Math.max(200, el.clientWidth);
      const empty: ChartData = opts.series.map(() => []) as unknown as ChartData;
      chart = new uPlot({ ...opts, width, height }, last ?? empty, el);
    };
    // Built in the frame after the view first paints: switching views shows the view at once.
    const first = requestAnimationFrame(() => {
      build();
      unfeed = feedRef.current((data) => {
        last = data;
        chart?.setData(data);
      });
    });
    const resize = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (chart && Math.abs(chart.width - w) > 1) chart.setSize({ width: w, height });
    });
    resize.observe(el);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => build();
    scheme.addEventListener('change', onScheme);
    return () => {
      cancelAnimationFrame(first);
      unfeed?.();
      resize.disconnect();
      scheme.removeEventListener('change', onScheme);
      chart?.destroy();
      chart = null;
    };
  }, [structureKey, height]);

  return <div className="chart" ref={box} data-testid={testId} role="img" aria-label={ariaLabel} />;
}
