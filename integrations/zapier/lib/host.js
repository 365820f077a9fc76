'use strict';

/**
 * The CodeTether host a connection talks to, and the shapes the app turns the host's answers
 * into. Everything goes over the host's HTTP API: this app imports nothing of the host.
 */

/** `https://host.example.com` from what the user typed (a trailing slash or path-less form tolerated). */
function normalizeBaseUrl(raw) {
  const text = String(raw || '').trim();
  if (!text) return '';
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a URL: give your CodeTether host's address, such as https://codetether.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`"${text}" must be an http(s) URL`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The host of this connection: the field, else the app's BASE_URL setting (`zapier env:set`). */
function baseUrlOf(bundle) {
  const raw = (bundle.authData && bundle.authData.baseUrl) || (bundle.inputData && bundle.inputData.baseUrl) || process.env.BASE_URL;
  const base = normalizeBaseUrl(raw);
  if (!base) throw new Error('No CodeTether URL: reconnect the account and give your host\'s address (or set BASE_URL for the app).');
  return base;
}

/** The host's refusal text: `{"error": {"message": ...}}` (REST, A2A HTTP+JSON) or plain text. */
function errorMessage(response) {
  const data = response.data;
  if (data && typeof data === 'object' && data.error) {
    if (typeof data.error === 'string') return data.error_description ? `${data.error}: ${data.error_description}` : data.error;
    if (data.error.message) return data.error.message;
  }
  const text = typeof response.content === 'string' ? response.content.slice(0, 300) : '';
  return text || `HTTP ${response.status}`;
}

/**
 * Calls the host with the connection's token; refusals become errors that say what the host
 * said. A 401 never gets here: with autoRefresh the platform turns it into a token refresh.
 */
async function call(z, bundle, { method = 'GET', path, body, params, allow = [] }) {
  const response = await z.request({
    method,
    url: `${baseUrlOf(bundle)}${path}`,
    params,
    body,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    skipThrowForStatus: true,
  });
  if (response.status >= 400 && !allow.includes(response.status)) {
    throw new z.errors.Error(errorMessage(response), `HTTP_${response.status}`, response.status);
  }
  return response;
}

const stateOf = (raw) => String(raw || '').replace(/^TASK_STATE_/, '').toLowerCase().replace(/_/g, '-');

function partsText(parts) {
  return (parts || []).map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
}

/** An A2A Task (HTTP+JSON) as one flat item Zapier can map field by field. */
function flattenTask(task) {
  const metadata = task.metadata || {};
  const status = task.status || {};
  const firstUser = (task.history || []).find((m) => m.role === 'ROLE_USER');
  return {
    id: task.id,
    contextId: task.contextId,
    state: stateOf(status.state),
    agent: typeof metadata.agent === 'string' ? metadata.agent : null,
    codebase: typeof metadata.codebase === 'string' ? metadata.codebase : null,
    input: firstUser ? partsText(firstUser.parts) : '',
    message: status.message ? partsText(status.message.parts) : '',
    output: (task.artifacts || []).map((a) => partsText(a.parts)).filter(Boolean).join('\n'),
    updatedAt: status.timestamp || null,
  };
}

/** A Ralph run view as one flat item. */
function flattenRun(run) {
  return {
    id: run.id,
    status: run.status,
    stopReason: run.stopReason || null,
    codebase: run.codebase,
    agent: run.agent,
    project: run.project || null,
    branchName: run.branchName || null,
    storiesTotal: run.storiesTotal,
    storiesPassed: run.storiesPassed,
    summary: run.summary || '',
  };
}

module.exports = { normalizeBaseUrl, baseUrlOf, call, flattenTask, flattenRun, stateOf };
