import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { OAuthRepository } from '../store/oauth-repository';

/**
 * oidc-provider's storage contract over the SQLite repository: every model of the
 * authorization server (clients, grants, codes, tokens, sessions, interactions) persists, so
 * registered apps and their grants survive a restart. The repository is synchronous; the
 * contract's promises are only its shape.
 */
export function adapterFactory(repo: OAuthRepository): new (model: string) => Adapter {
  return class SqliteAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      repo.upsert(this.model, id, payload as Record<string, unknown>, expiresIn ? Date.now() + expiresIn * 1000 : null);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return repo.find(this.model, id) as AdapterPayload | undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return repo.findByUserCode(this.model, userCode) as AdapterPayload | undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return repo.findByUid(this.model, uid) as AdapterPayload | undefined;
    }

    async consume(id: string): Promise<void> {
      repo.consume(this.model, id);
    }

    async destroy(id: string): Promise<void> {
      repo.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      repo.revokeByGrantId(grantId);
    }
  };
}
