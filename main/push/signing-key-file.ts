import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generatePushSigningKey, type PushSigningKey } from './signature';

/**
 * Loads the host's push signing key from `file`, creating it (owner-only, PKCS#8 PEM) on first
 * use. A file rather than a settings row, so the private key never travels with synced data.
 */
export function loadOrCreatePushSigningKey(file: string): PushSigningKey {
  if (!existsSync(file)) {
    const key = generatePushSigningKey();
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      return key;
    } catch (err) {
      // Another process created it first: use theirs, so both sign with the same key.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 private key.`);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** The public half as receivers need it: PEM for most libraries, JWK for the rest. */
export function publicKeyDocument(key: PushSigningKey) {
  return {
    algorithm: 'Ed25519',
    header: 'X-CodeTether-Signature',
    signed: '<t>.<seq>.<body>',
    publicKeyPem: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    jwk: key.publicKey.export({ format: 'jwk' }),
  };
}
