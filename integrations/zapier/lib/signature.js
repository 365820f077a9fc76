'use strict';

const { createPublicKey, verify } = require('node:crypto');

/**
 * Checks a hook delivery the way the host signs it: Ed25519 over `<t>.<seq>.<body>` in
 * `X-CodeTether-Signature: t=...,seq=...,ed25519=...`, with the public key the host serves at
 * /.well-known/codetether-push-key. Zapier hands the headers over as `Http-X-Codetether-Signature`.
 * Freshness is not judged: Zapier may run a held or replayed delivery long after it arrived.
 */
function headerOf(headers) {
  for (const [name, value] of Object.entries(headers || {})) {
    if (/^(http-)?x-codetether-signature$/i.test(name)) return String(value);
  }
  return undefined;
}

/** Undefined when the delivery is the host's; else why it is not. */
function signatureProblem(rawRequest, publicKeyPem) {
  const header = headerOf(rawRequest && rawRequest.headers);
  if (!header) return 'the request carries no X-CodeTether-Signature header';
  const fields = Object.fromEntries(header.split(',').map((part) => part.split('=').map((s) => s.trim())).filter((kv) => kv.length === 2));
  if (!/^\d+$/.test(fields.t || '') || !/^\d+$/.test(fields.seq || '') || !fields.ed25519) return 'the signature header is malformed';
  const body = Buffer.from(`${fields.t}.${fields.seq}.${rawRequest.content || ''}`, 'utf8');
  let valid;
  try {
    valid = verify(null, body, createPublicKey(publicKeyPem), Buffer.from(fields.ed25519, 'base64url'));
  } catch (err) {
    return `the signature could not be checked: ${err.message}`;
  }
  return valid ? undefined : 'the signature does not match the body';
}

module.exports = { signatureProblem };
