// Live time-series charts with uPlot (loaded by the page as the global `uPlot`): each keeps the
// last few minutes of points and redraws on every new one.
import { bytes } from './dashboard.js';

const KEPT = 180;

/** A chart in `target` with one line per label; `format` renders the y axis' values. */
export function liveChart(target, title, labels, format) {
  const data = [[], ...labels.map(() => [])];
  const colors = ['#2f7dd1', '#d1782f', '#3a9e5c'];
  const plot = new uPlot({
    title,
    width: Math.max(280, target.clientWidth - 8),
    height: 180,
    scales: { x: { time: true } },
    axes: [{}, { values: (_u, values) => values.map(format), size: 70 }],
    series: [{}, ...labels.map((label, index) => ({ label, stroke: colors[index % colors.length], width: 1.5, value: (_u, v) => (v === null ? '—' : format(v)) }))],
  }, data, target);
  return {
    plot,
    /** Adds a point: `time` in unix seconds, one value per label (null for a gap). */
    push(time, values) {
      data[0].push(time);
      values.forEach((value, index) => data[index + 1].push(value));
      if (data[0].length > KEPT) for (const column of data) column.shift();
      plot.setData(data);
    },
  };
}

export const percent = (v) => `${v.toFixed(v < 10 ? 1 : 0)}%`;
export const size = (v) => bytes(Math.round(v));
export const rate = (v) => `${bytes(Math.round(v))}/s`;
