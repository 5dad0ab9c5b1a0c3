// The standalone page's sign-in: an access token, pasted (a Supabase session's access_token, say). It is kept in
// sessionStorage for this tab only; the server's line says why a token was refused.
import { h, show } from '../dom.js';

export class SignIn {
  constructor(container, message, signedIn) {
    this.container = container;
    this.message = message;
    this.signedIn = signedIn;
  }

  render() {
    const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
      spellcheck: 'false' });
    const form = h('form', { class: 'panel sign-in', onsubmit: event => {
      event.preventDefault();
      const token = input.value.trim();
      if (token) {
        this.signedIn(token);
      }
    } },
    h('h1', {}, 'Database dumps'),
    h('p', {}, 'Sign in with an access token of an admin (or a tenant admin) of the service. It stays in this tab only.'),
    this.message ? h('p', { class: 'error', role: 'alert' }, this.message) : null,
    h('label', { for: 'token' }, 'Access token'), input,
    h('button', { type: 'submit' }, 'Sign in'));
    show(this.container, form);
    input.focus();
  }
}
