import { closeRelayDb, openRelayDb } from '../../store/open';
import { createTokenStore } from '../../store/tokens';

/**
 * Issues a token for `workspace` in the relay database under the first dir, as `token create`
 * does, and adds it to the others, as `token add` does.
 */
export function issueToken(dataDirs: string | string[], workspace: string): string {
  let token: string | undefined;
  for (const dir of Array.isArray(dataDirs) ? dataDirs : [dataDirs]) {
    const db = openRelayDb(dir);
    try {
      const tokens = createTokenStore(db);
      if (token) tokens.add(workspace, token);
      else token = tokens.create(workspace).token;
    } finally {
      closeRelayDb(db);
    }
  }
  return token!;
}
