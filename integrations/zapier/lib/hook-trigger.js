'use strict';

const { baseUrlOf, call } = require('./host');
const { signatureProblem } = require('./signature');

/** The host's key for hook signatures, fetched once per process per host (it is public and long-lived). */
const keys = new Map();
async function publicKeyOf(z, base) {
  if (!keys.has(base)) {
    const response = await z.request({ url: `${base}/.well-known/codetether-push-key`, skipThrowForStatus: true });
    if (response.status !== 200 || !response.data || !response.data.publicKeyPem) {
      throw new z.errors.Error(`${base} serves no hook signing key (HTTP ${response.status}): is it a CodeTether host?`, 'NO_SIGNING_KEY', response.status);
    }
    keys.set(base, response.data.publicKeyPem);
  }
  return keys.get(base);
}

/** The filter fields the user filled in, as the host's `filter` object (undefined when none). */
function filterOf(bundle, fields) {
  const filter = {};
  for (const key of fields) {
    const value = bundle.inputData[key];
    if (typeof value === 'string' && value.trim()) filter[key] = value.trim();
  }
  return Object.keys(filter).length ? filter : undefined;
}

/**
 * A REST-hook trigger for one host event: subscribing creates a `/v1/hooks` subscription whose
 * target is the Zap's hook URL, unsubscribing deletes it, a delivery is accepted only with the
 * host's signature, and the polling fallback (`/v1/hooks/poll`, newest first) answers with the
 * same bodies and ids a delivery carries, so Zapier's deduplication sees one item per occurrence.
 */
function hookTrigger({ key, event, noun, label, description, filters, sample, outputFields }) {
  return {
    key,
    noun,
    display: { label, description },
    operation: {
      type: 'hook',
      inputFields: filters,
      async performSubscribe(z, bundle) {
        const response = await call(z, bundle, {
          method: 'POST',
          path: '/v1/hooks',
          body: { event, targetUrl: bundle.targetUrl, filter: filterOf(bundle, filters.map((f) => f.key)) },
        });
        return response.data;
      },
      async performUnsubscribe(z, bundle) {
        const id = bundle.subscribeData && bundle.subscribeData.id;
        if (!id) throw new z.errors.Error('This Zap holds no hook subscription to remove.', 'NO_SUBSCRIPTION', 400);
        // Already gone (deleted on the host, or removed after a 410) is what unsubscribing wants.
        await call(z, bundle, { method: 'DELETE', path: `/v1/hooks/${encodeURIComponent(id)}`, allow: [404] });
        return { id };
      },
      async perform(z, bundle) {
        const problem = signatureProblem(bundle.rawRequest, await publicKeyOf(z, baseUrlOf(bundle)));
        if (problem) throw new z.errors.Error(`Not a delivery of your CodeTether host: ${problem}.`, 'BAD_SIGNATURE', 401);
        return [bundle.cleanedRequest];
      },
      async performList(z, bundle) {
        const params = { event, limit: '20', ...filterOf(bundle, filters.map((f) => f.key)) };
        const response = await call(z, bundle, { path: '/v1/hooks/poll', params });
        return response.data.events;
      },
      sample,
      outputFields,
    },
  };
}

module.exports = { hookTrigger };
