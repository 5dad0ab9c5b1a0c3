// Restore or import one tenant, carefully: a dry run first (for one tenant's data), its plan shown table by table,
// then the real run only once the tenant id (or, for a whole restore, the target database's name) has been typed.
import { h, show } from '../dom.js';
import { count, fileName } from '../format.js';

const POLL = 1000;

export class Restore {
  constructor(container, api, me, events) {
    this.container = container;
    this.api = api;
    this.me = me;
    events.addEventListener('restore-requested', event => {
      this.key.value = event.detail.key;
      if (event.detail.tenant) {
        this.tenant.value = event.detail.tenant;
      }
      this.reset();
      this.key.focus();
    });
  }

  render() {
    this.key = h('input', { id: 'restore-key', name: 'key', required: true, value: 'latest', autocomplete: 'off' });
    this.tenant = h('input', { id: 'restore-tenant', name: 'tenant', autocomplete: 'off' });
    this.mode = h('select', { id: 'restore-mode', name: 'mode' },
      h('option', { value: 'insert' }, 'insert (the tenant must not be there)'),
      h('option', { value: 'replace' }, 'replace (its rows there give way)'));
    this.shared = h('select', { id: 'restore-shared', name: 'shared' },
      h('option', { value: 'refuse' }, 'refuse a shared row that differs'),
      h('option', { value: 'keep-target' }, 'keep the target\'s shared rows'));
    this.error = h('p', { class: 'error', role: 'alert' });
    this.result = h('div', { class: 'result', 'aria-live': 'polite' });
    this.confirmation = h('div', { class: 'confirm' });
    const form = h('form', { class: 'grid', onsubmit: event => {
      event.preventDefault();
      this.run(true);
    }, oninput: () => this.reset() },
    h('label', { for: 'restore-key' }, 'Dump (a key, or latest)'), this.key,
    h('label', { for: 'restore-tenant' }, 'Tenant id (empty: the whole dump)'), this.tenant,
    h('label', { for: 'restore-mode' }, 'For one tenant'), this.mode,
    h('label', { for: 'restore-shared' }, 'Shared rows'), this.shared,
    h('button', { type: 'submit', id: 'restore-dry-run' }, 'Dry run'));
    show(this.container, h('h2', { id: 'restore-title' }, `Restore into ${this.me.restore_database || 'the target'}`),
      h('p', { class: 'quiet' }, 'One tenant\'s data goes in beside the others\' (a dry run first); a whole dump only'
        + ' into empty tables. Nothing is written until the last step, and a failure changes nothing.'),
      form, this.error, this.result, this.confirmation);
    this.reset();
  }

  reset() {
    this.error.textContent = '';
    show(this.result);
    this.offerRealRun(this.tenant.value.trim() === '');
  }

  options(dryRun) {
    const tenant = this.tenant.value.trim();
    return tenant ? { tenant, 'tenant-mode': this.mode.value, 'shared-rows': this.shared.value, 'dry-run': dryRun }
      : {};
  }

  // The real run waits for the tenant id (or the database's name) to be typed; for one tenant, for a dry run too.
  offerRealRun(ready) {
    const tenant = this.tenant.value.trim();
    if (!ready) {
      show(this.confirmation);
      return;
    }
    const expected = tenant || this.me.restore_database || 'restore';
    const typed = h('input', { id: 'restore-confirm', name: 'confirm', autocomplete: 'off' });
    const go = h('button', { type: 'button', id: 'restore-run', class: 'danger', disabled: true,
      onclick: () => this.run(false) }, tenant ? `Import tenant ${tenant}` : 'Restore the whole dump');
    typed.addEventListener('input', () => {
      go.disabled = typed.value !== expected;
    });
    show(this.confirmation, h('label', { for: 'restore-confirm' }, `Type ${expected} to confirm`), typed, go);
  }

  async run(dryRun) {
    this.error.textContent = '';
    if (dryRun && !this.tenant.value.trim()) {
      this.error.textContent = 'A dry run is for one tenant\'s data: give a tenant id, or restore the whole dump below.';
      return;
    }
    let job;
    try {
      job = await this.api.restore(this.key.value.trim(), this.options(dryRun));
    } catch (error) {
      if (error.status !== 401) {
        this.error.textContent = error.message;
      }
      return;
    }
    show(this.result, h('p', { class: 'quiet' }, dryRun ? 'Dry run running…' : 'Restore running…'));
    while (job.state === 'running') {
      await new Promise(resolve => setTimeout(resolve, POLL));
      try {
        job = await this.api.job(job.id);
      } catch (error) {
        if (error.status !== 401) {
          this.error.textContent = error.message;
        }
        return;
      }
    }
    if (job.state === 'failed') {
      show(this.result);
      this.error.textContent = job.error;
      return;
    }
    this.showSummary(job.summary, dryRun);
    this.offerRealRun(dryRun);
  }

  showSummary(summary, dryRun) {
    const plan = summary.tenant_import;
    const heading = h('h3', { id: 'restore-outcome' }, dryRun ? 'Dry run: nothing was written'
      : `Restored ${fileName(summary.key)}: ${count(summary.rows)} rows`);
    if (!plan) {
      show(this.result, heading);
      return;
    }
    const columns = ['deleted', 'inserted', 'unchanged', 'kept'];
    show(this.result, heading,
      h('table', { id: 'tenant-import' }, h('caption', {}, `Tenant ${plan.tenant}, ${plan.mode}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Table'),
          columns.map(name => h('th', { scope: 'col' }, name)))),
        h('tbody', {}, Object.entries(plan.tables || {}).map(([table, counts]) => h('tr', {}, h('td', {}, table),
          columns.map(name => h('td', {}, count(counts[name] || 0))))))),
      (plan.refused || []).length ? h('ul', { class: 'error', id: 'refused' }, plan.refused.map(line => h('li', {}, line))) : null);
  }
}
