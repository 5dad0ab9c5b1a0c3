// A verification's report, readably: the verdict and the problem line first, then each table against its summary.
import { h, show } from '../dom.js';
import { count, fileName, size } from '../format.js';

export class Report {
  constructor(container, events) {
    this.container = container;
    this.container.hidden = true;
    events.addEventListener('report', event => this.show(event.detail));
  }

  render() {
  }

  show({ key, running, report, error }) {
    this.container.hidden = false;
    const title = h('h2', { id: 'report-title' }, `Verification of ${fileName(key)}`);
    if (running) {
      show(this.container, title, h('p', { class: 'quiet' }, 'Reading the dump back from the store…'));
      return;
    }
    if (error) {
      show(this.container, title, h('p', { class: 'error', role: 'alert' }, error));
      return;
    }
    const verdict = report.ok
      ? h('p', { class: 'ok', id: 'verdict' }, `Verified: ${count(report.total_rows)} rows in `
        + `${Object.keys(report.tables || {}).length} tables, ${size(report.size_bytes)}, SHA-256 as its checksum file says.`)
      : h('p', { class: 'error', id: 'verdict', role: 'alert' }, `Did not verify: ${report.problem}`);
    const references = report.references ? h('p', {}, `References: ${count(report.references.checked)} checked, `
      + `${count(report.references.unresolved)} unresolved, ${count(report.references.declared_dangling)} declared`
      + ' as references to other tenants\' rows.') : null;
    const tables = Object.entries(report.tables || {});
    show(this.container, title, verdict,
      report.document_checked === false ? h('p', {}, 'Encrypted, and no identity to read it: only its SHA-256 was checked.') : null,
      references,
      tables.length ? h('table', {}, h('caption', {}, 'Each table against its summary'),
        h('thead', {}, h('tr', {}, ['Table', 'Rows', 'Expected', ''].map(name => h('th', { scope: 'col' }, name)))),
        h('tbody', {}, tables.map(([name, table]) => h('tr', {}, h('td', {}, name), h('td', {}, count(table.rows)),
          h('td', {}, count(table.expected_rows)), h('td', { class: table.ok ? 'ok' : 'error' },
            table.ok ? 'ok' : 'wrong')))))
        : null,
      h('p', { class: 'quiet' }, `SHA-256 ${report.sha256}`));
  }
}
