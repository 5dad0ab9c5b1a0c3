// The schedule of full dumps (next run, period, the last dump stored, retention) and a chart of the last dumps'
// sizes and how long they took.
import { h, show, svg } from '../dom.js';
import { duration, size, time } from '../format.js';

const CHARTED = 12;

export class Schedule {
  constructor(container, api, events) {
    this.container = container;
    this.api = api;
    events.addEventListener('job-finished', () => this.load());
    events.addEventListener('dumps-listed', event => {
      if (event.detail.tenant === null) {
        this.chart(event.detail.dumps);
      }
    });
  }

  render() {
    this.facts = h('dl', { class: 'facts' });
    this.figure = h('figure', { class: 'chart' });
    this.error = h('p', { class: 'error', role: 'alert' });
    show(this.container, h('h2', { id: 'schedule-title' }, 'Schedule'), this.error, this.facts, this.figure);
    this.load();
  }

  async load() {
    try {
      const schedule = await this.api.schedule();
      show(this.facts,
        h('dt', {}, 'Scheduled'), h('dd', {}, schedule.enabled ? `every ${schedule.period}` : 'no (dump.timer.enabled)'),
        schedule.enabled ? [h('dt', {}, 'Next dump'), h('dd', {}, time(schedule.next_run, h))] : null,
        h('dt', {}, 'Last dump stored'), h('dd', {}, time(schedule.last_stored, h)),
        h('dt', {}, 'Kept'), h('dd', {}, [schedule.keep_last ? `the newest ${schedule.keep_last}` : null,
          schedule.max_age ? `none older than ${schedule.max_age}` : null].filter(Boolean).join(', ') || 'all'));
    } catch (error) {
      if (error.status !== 401) {
        this.error.textContent = error.message;
      }
    }
  }

  // Bars for sizes, dots for durations, oldest on the left; every number in a tooltip and in the caption's words.
  chart(dumps) {
    const shown = dumps.slice(0, CHARTED).reverse();
    if (shown.length === 0) {
      show(this.figure);
      return;
    }
    const width = 600;
    const height = 160;
    // Room for a dozen bars, however few there are yet.
    const step = width / Math.max(shown.length, CHARTED);
    const largest = Math.max(...shown.map(dump => dump.size_bytes), 1);
    const longest = Math.max(...shown.map(dump => dump.duration_ms || 0), 1);
    const marks = shown.map((dump, i) => {
      const bar = Math.max(1, Math.round((dump.size_bytes / largest) * (height - 20)));
      const took = dump.duration_ms === undefined ? null : Math.round((dump.duration_ms / longest) * (height - 20));
      return svg('g', {},
        svg('rect', { class: 'size', x: Math.round(i * step + step * 0.15), y: height - bar, width: Math.round(step * 0.7),
          height: bar }, svg('title', {}, `${new Date(dump.exported_at).toLocaleString()}: ${size(dump.size_bytes)}`)),
        took === null ? null : svg('circle', { class: 'took', cx: Math.round(i * step + step / 2), cy: height - took,
          r: 4 }, svg('title', {}, `took ${duration(dump.duration_ms)}`)));
    });
    show(this.figure,
      svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img',
        'aria-label': `Sizes (bars) and durations (dots) of the last ${shown.length} full dumps` }, marks),
      h('figcaption', {}, `The last ${shown.length} full dumps, oldest first: bars are sizes (largest `
        + `${size(largest)}), dots how long each took (longest ${duration(longest)}).`));
  }
}
