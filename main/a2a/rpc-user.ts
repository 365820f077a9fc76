import type { IncomingMessage } from 'node:http';
import { UnauthenticatedUser, type User } from '@a2a-js/sdk/server';
import { principalOf } from '../auth/principal';

/** A caller that presented a valid bearer token. */
class TokenUser implements User {
  constructor(private readonly name: string) {}
  get isAuthenticated(): boolean {
    return true;
  }
  get userName(): string {
    return this.name;
  }
}

const anonymous = new UnauthenticatedUser();

/**
 * The SDK user for a request. The local user without a token (loopback, auth not required)
 * may use every route but counts as unauthenticated: the extended card needs a token.
 */
export function userOf(req: IncomingMessage): User {
  const principal = principalOf(req);
  return principal?.kind === 'token' ? new TokenUser(principal.token.name) : anonymous;
}
