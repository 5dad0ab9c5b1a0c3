// <database-dump-console>: the admin console, one custom element for both ways in. Standalone (/console/, the
// element with the "standalone" attribute) it asks for an access token and keeps it in sessionStorage for the tab;
// embedded in a host admin UI, the host gives it the API's address (the "api" attribute) and a function returning
// the current access token (the accessToken property), so a refreshed session just works. The token never goes into
// localStorage, a cookie or a URL. A refused token (expired, say) brings the sign-in back with the server's line.
import { Api } from './api.js';
import { h, show } from './dom.js';
import { SignIn } from './views/signin.js';
import { Jobs } from './views/jobs.js';
import { Dumps } from './views/dumps.js';
import { Schedule } from './views/schedule.js';
import { Restore } from './views/restore.js';
import { Report } from './views/report.js';

const STORED_TOKEN = 'database-dump-token';

class DatabaseDumpConsole extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.views = [];
  }

  /** The host's token source: a function returning the current access token, or a promise of it. */
  set accessToken(source) {
    this.tokenSource = source;
    if (this.isConnected) {
      this.start();
    }
  }

  connectedCallback() {
    this.main = h('main', { class: 'console' });
    show(this.shadowRoot, h('link', { rel: 'stylesheet', href: new URL('console.css', import.meta.url).href }),
      this.main);
    if (this.tokenSource || sessionStorage.getItem(STORED_TOKEN)) {
      this.start();
    } else if (this.hasAttribute('standalone')) {
      this.signIn('');
    } else {
      show(this.main, h('p', {}, 'Waiting for the page to give the console an access token.'));
    }
  }

  disconnectedCallback() {
    this.stopViews();
  }

  // The service is where console.js came from, unless the page says otherwise.
  base() {
    return this.getAttribute('api') || new URL('../', import.meta.url).href;
  }

  token() {
    return this.tokenSource ? this.tokenSource() : sessionStorage.getItem(STORED_TOKEN);
  }

  signIn(message) {
    this.stopViews();
    sessionStorage.removeItem(STORED_TOKEN);
    new SignIn(this.main, message, token => {
      sessionStorage.setItem(STORED_TOKEN, token);
      this.start();
    }).render();
  }

  refused(message) {
    if (this.tokenSource) {
      this.stopViews();
      show(this.main, h('section', { class: 'panel' },
        h('p', { class: 'error', role: 'alert' }, `The service refused the session: ${message}`),
        h('button', { type: 'button', onclick: () => this.start() }, 'Try again')));
    } else {
      this.signIn(message);
    }
  }

  async start() {
    this.stopViews();
    this.api = new Api(this.base(), () => this.token(), message => this.refused(message));
    show(this.main, h('p', { class: 'quiet' }, 'Loading…'));
    let me;
    try {
      me = await this.api.me();
    } catch (error) {
      if (error.status !== 401) {
        show(this.main, h('p', { class: 'error', role: 'alert' }, error.message),
          h('button', { type: 'button', onclick: () => this.start() }, 'Try again'));
      }
      return;
    }
    this.layout(me);
  }

  layout(me) {
    const events = new EventTarget();
    const header = h('header', { class: 'top' },
      h('h1', {}, 'Database dumps'),
      h('p', { class: 'who' }, me.role === 'admin' ? `Signed in as ${me.subject} (admin)`
        : `Signed in as ${me.subject}, admin of tenant ${me.tenant}`),
      this.tokenSource ? null : h('button', { type: 'button', class: 'secondary', onclick: () => this.signIn('') },
        'Sign out'));
    const jobs = h('section', { class: 'panel', 'aria-labelledby': 'jobs-title' });
    const report = h('section', { class: 'panel', 'aria-live': 'polite' });
    const dumps = h('section', { class: 'panel', 'aria-labelledby': 'dumps-title' });
    const schedule = h('section', { class: 'panel', 'aria-labelledby': 'schedule-title' });
    const restore = h('section', { class: 'panel', 'aria-labelledby': 'restore-title' });
    show(this.main, header, jobs, report, dumps, me.role === 'admin' ? schedule : null, me.restore ? restore : null);
    this.views = [new Jobs(jobs, this.api, me, events), new Report(report, events), new Dumps(dumps, this.api, me, events)];
    if (me.role === 'admin') {
      this.views.push(new Schedule(schedule, this.api, events));
    }
    if (me.restore) {
      this.views.push(new Restore(restore, this.api, me, events));
    }
    this.views.forEach(view => view.render());
  }

  stopViews() {
    this.views.forEach(view => view.stop && view.stop());
    this.views = [];
  }
}

customElements.define('database-dump-console', DatabaseDumpConsole);
