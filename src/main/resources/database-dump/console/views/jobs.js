// Dumps running and just finished: started here (by this page), by another admin or by the schedule on this replica,
// or on another replica (told apart by the database's dump lock). Polled every two seconds while something runs,
// every ten otherwise; a dump goes on when the tab is closed, and the page says so.
import { h, show } from '../dom.js';
import { count, duration, size, time } from '../format.js';

const BUSY = 1000;
const IDLE = 10000;
const FINISHED_SHOWN = 3;

export class Jobs {
  constructor(container, api, me, events) {
    this.container = container;
    this.api = api;
    this.me = me;
    this.events = events;
    this.running = new Set();
  }

  render() {
    this.list = h('div', { class: 'jobs' });
    this.error = h('p', { class: 'error', role: 'alert' });
    const controls = [];
    if (this.me.role === 'admin') {
      controls.push(h('button', { type: 'button', id: 'start-full', onclick: () => this.startDump(null) },
        'Start a full dump'));
      if (this.me.tenant_dumps) {
        const tenant = h('input', { id: 'start-tenant-id', name: 'tenant', autocomplete: 'off', required: true });
        controls.push(h('form', { class: 'inline', onsubmit: event => {
          event.preventDefault();
          this.startDump(tenant.value.trim());
        } }, h('label', { for: 'start-tenant-id' }, 'Tenant id'), tenant,
        h('button', { type: 'submit', id: 'start-tenant' }, 'Dump this tenant')));
      }
    } else {
      controls.push(h('button', { type: 'button', id: 'start-own', onclick: () => this.startDump(null) },
        `Dump the data of tenant ${this.me.tenant}`));
    }
    show(this.container, h('h2', { id: 'jobs-title' }, 'Running'),
      h('div', { class: 'controls' }, controls), this.error,
      h('p', { class: 'quiet' }, 'A dump goes on when you close this tab; come back to find it in the list.'),
      this.list);
    this.poll();
  }

  async startDump(tenant) {
    this.error.textContent = '';
    try {
      const job = await this.api.startDump(tenant);
      this.running.add(job.id);
      this.poll();
    } catch (error) {
      this.error.textContent = error.message;
    }
  }

  async poll() {
    clearTimeout(this.timer);
    let answer;
    try {
      answer = await this.api.jobs();
    } catch (error) {
      if (error.status === 401) {
        return;
      }
      this.error.textContent = error.message;
      this.timer = setTimeout(() => this.poll(), IDLE);
      return;
    }
    const running = answer.jobs.filter(job => job.state === 'running');
    const finished = answer.jobs.filter(job => job.state !== 'running').slice(0, FINISHED_SHOWN);
    for (const job of answer.jobs) {
      if (job.state !== 'running' && this.running.has(job.id)) {
        this.running.delete(job.id);
        this.events.dispatchEvent(new CustomEvent('job-finished', { detail: job }));
      }
    }
    running.forEach(job => this.running.add(job.id));
    show(this.list,
      answer.running_elsewhere ? h('p', { class: 'notice' }, 'A full dump is running on another replica.') : null,
      running.length === 0 && !answer.running_elsewhere ? h('p', { class: 'quiet' }, 'Nothing is running.') : null,
      running.map(job => this.runningJob(job, answer)),
      finished.length ? h('h3', {}, 'Just finished') : null,
      finished.map(job => this.finishedJob(job)));
    this.timer = setTimeout(() => this.poll(), running.length || answer.running_elsewhere ? BUSY : IDLE);
  }

  runningJob(job) {
    const progress = job.progress || {};
    const elapsed = Date.now() - new Date(job.started_at).getTime();
    return h('article', { class: 'job running', 'data-job': job.id },
      h('h3', {}, title(job)),
      h('p', { class: 'quiet' }, 'Started ', time(job.started_at, h), ` by ${job.triggered_by}`),
      h('label', { for: `progress-${job.id}` }, `tables ${progress.tables_done || 0} of ${progress.tables_total || '?'}`),
      h('progress', { id: `progress-${job.id}`, max: progress.tables_total || 1, value: progress.tables_done || 0 }),
      h('p', { class: 'figures' }, `${count(progress.rows_done)} rows, ${size(progress.bytes_done)}, `,
        `${duration(elapsed)} so far`));
  }

  finishedJob(job) {
    return h('article', { class: `job ${job.state}`, 'data-job': job.id },
      h('h3', {}, title(job), ': ', job.state === 'succeeded' ? 'done' : 'failed'),
      job.state === 'failed' ? h('p', { class: 'error' }, job.error)
        : h('p', {}, job.summary && job.summary.key ? job.summary.key : 'done', ' ', time(job.finished_at, h)));
  }

  stop() {
    clearTimeout(this.timer);
  }
}

function title(job) {
  if (job.kind === 'restore') {
    return 'Restore';
  }
  return job.tenant ? `Dump of tenant ${job.tenant}` : 'Full dump';
}
