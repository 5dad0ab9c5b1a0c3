// The one module that talks to the API. Every call carries the caller's bearer token, in the Authorization header
// only; an answer other than 2xx becomes an ApiError holding the server's one line. Views never call fetch themselves.

/** A refusal or failure from the API: its HTTP status, its error code and the server's one line. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class Api {
  /**
   * @param base  the address of the service, where /api/database-dump is
   * @param token a function returning the current access token (or a promise of it)
   * @param onRefused called with the server's line when the token is refused (401): the sign-in comes back
   */
  constructor(base, token, onRefused) {
    this.base = new URL('api/database-dump', base).href;
    this.token = token;
    this.onRefused = onRefused;
  }

  me() { return this.call('GET', '/me'); }
  jobs() { return this.call('GET', '/jobs'); }
  schedule() { return this.call('GET', '/schedule'); }
  dumps(tenant) { return this.call('GET', '', { tenant }); }
  startDump(tenant) { return this.call('POST', '', { tenant }, { Prefer: 'respond-async' }); }
  job(id) { return this.call('GET', `/jobs/${id}`); }
  link(key) { return this.call('GET', '/download', { key }); }
  verify(key, tenant) { return this.call('POST', '/verify', { key, tenant }); }
  restore(key, options) { return this.call('POST', '/restore', { key, ...options }); }

  async call(method, path, parameters = {}, headers = {}) {
    const url = new URL(this.base + path);
    for (const [name, value] of Object.entries(parameters)) {
      if (value !== undefined && value !== null && value !== '') {
        url.searchParams.set(name, String(value));
      }
    }
    const token = await this.token();
    let answer;
    try {
      answer = await fetch(url, {
        method,
        headers: { ...headers, Authorization: `Bearer ${token}` },
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch (failure) {
      throw new ApiError(0, 'unreachable', `the service at ${new URL(this.base).origin} did not answer`);
    }
    const text = await answer.text();
    const body = text ? JSON.parse(text) : {};
    if (!answer.ok) {
      const error = new ApiError(answer.status, body.error || 'error', body.message || `HTTP ${answer.status}`);
      if (answer.status === 401) {
        this.onRefused(error.message);
      }
      throw error;
    }
    return body;
  }
}
