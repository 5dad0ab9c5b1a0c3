// The stored dumps, newest first: a platform admin's full dumps or one tenant's, a tenant admin's own. What a row shows
// comes from the listing (the store keeps each dump's facts beside it): nothing is downloaded to draw the list.
import { h, show } from '../dom.js';
import { count, duration, fileName, size, time } from '../format.js';

export class Dumps {
  constructor(container, api, me, events) {
    this.container = container;
    this.api = api;
    this.me = me;
    this.events = events;
    this.tenant = me.role === 'admin' ? null : me.tenant;
    events.addEventListener('job-finished', () => this.load());
  }

  render() {
    this.table = h('div', { class: 'table' });
    this.error = h('p', { class: 'error', role: 'alert' });
    this.links = h('div', { class: 'links', 'aria-live': 'polite' });
    let chooser = null;
    if (this.me.role === 'admin' && this.me.tenant_dumps) {
      const tenant = h('input', { id: 'list-tenant-id', name: 'tenant', autocomplete: 'off' });
      chooser = h('form', { class: 'inline', onsubmit: event => {
        event.preventDefault();
        this.tenant = tenant.value.trim() || null;
        this.load();
      } }, h('label', { for: 'list-tenant-id' }, 'Tenant id (empty: full dumps)'), tenant,
      h('button', { type: 'submit', id: 'list-dumps' }, 'Show'));
    }
    this.heading = h('h2', { id: 'dumps-title' }, this.headingText());
    show(this.container, this.heading, chooser, this.error, this.links, this.table);
    this.load();
  }

  headingText() {
    return this.tenant === null ? 'Full dumps' : `Dumps of tenant ${this.tenant}`;
  }

  async load() {
    this.error.textContent = '';
    this.heading.textContent = this.headingText();
    let dumps;
    try {
      dumps = (await this.api.dumps(this.me.role === 'admin' ? this.tenant : null)).dumps;
    } catch (error) {
      if (error.status !== 401) {
        this.error.textContent = error.message;
      }
      return;
    }
    this.events.dispatchEvent(new CustomEvent('dumps-listed', { detail: { tenant: this.tenant, dumps } }));
    if (dumps.length === 0) {
      show(this.table, h('p', { class: 'quiet' }, 'No dump stored yet.'));
      return;
    }
    show(this.table, h('table', {},
      h('caption', {}, `${dumps.length} dump${dumps.length === 1 ? '' : 's'}, newest first`),
      h('thead', {}, h('tr', {}, ['Taken', 'Size', 'Rows', 'Tables', 'Took', 'Form', 'Verified', 'Actions']
        .map(name => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, dumps.map(dump => this.row(dump)))));
  }

  row(dump) {
    const form = [dump.compression === 'gzip' ? 'gzip' : dump.compression ? 'plain' : null,
      dump.encrypted ? 'encrypted' : null].filter(Boolean).join(', ') || '—';
    const verified = !dump.verified ? 'not yet' : dump.verified.ok ? 'passed' : 'FAILED';
    const actions = [h('button', { type: 'button', class: 'small', onclick: () => this.download(dump.key) },
      'Download')];
    if (this.me.role === 'admin') {
      actions.push(h('button', { type: 'button', class: 'small', onclick: () => this.verify(dump.key) }, 'Verify'));
      if (this.me.restore) {
        actions.push(h('button', { type: 'button', class: 'small', onclick: () => this.events.dispatchEvent(
          new CustomEvent('restore-requested', { detail: { key: dump.key, tenant: this.tenant } })) },
        'Restore…'));
      }
    }
    return h('tr', { 'data-key': dump.key },
      h('td', { title: fileName(dump.key) }, time(dump.exported_at || dump.last_modified, h)),
      h('td', {}, size(dump.size_bytes)), h('td', {}, count(dump.rows)), h('td', {}, count(dump.tables)),
      h('td', {}, duration(dump.duration_ms)), h('td', {}, form),
      h('td', { class: dump.verified && !dump.verified.ok ? 'error' : '' }, verified,
        dump.verified ? h('span', { class: 'quiet' }, ' ', time(dump.verified.at, h)) : null),
      h('td', { class: 'actions' }, actions));
  }

  // A presigned link, valid for a few minutes, to the dump and one to its checksum file.
  async download(key) {
    this.error.textContent = '';
    try {
      const [dump, checksum] = await Promise.all([this.api.link(key), this.api.link(`${key}.sha256`)]);
      show(this.links, h('p', {}, h('a', { href: dump.url, id: 'download-dump', rel: 'noopener noreferrer' },
        `Download ${fileName(key)}`), ' and ', h('a', { href: checksum.url, id: 'download-checksum',
        rel: 'noopener noreferrer' }, 'its SHA-256'), ` (links valid until `, time(dump.expires_at, h), ')'));
      this.links.querySelector('a').focus();
    } catch (error) {
      if (error.status !== 401) {
        this.error.textContent = error.message;
      }
    }
  }

  async verify(key) {
    this.error.textContent = '';
    this.events.dispatchEvent(new CustomEvent('report', { detail: { key, running: true } }));
    try {
      const report = await this.api.verify(key, this.tenant);
      this.events.dispatchEvent(new CustomEvent('report', { detail: { key, report } }));
      this.load();
    } catch (error) {
      this.events.dispatchEvent(new CustomEvent('report', { detail: { key, error: error.message } }));
    }
  }
}
