import type { Result } from './platform';

/**
 * An app's access token, cached until `expiresAt` and fetched single-flight: however many callers
 * ask at once, one fetch runs. `drop` forgets only the token a rejected call used, so calls rejected
 * together refetch once.
 */
export function createTokenCache(fetchToken: () => Promise<Result<{ token: string; expiresAt: number }>>, now: () => number) {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<Result<string>> | undefined;
  return {
    get(): Promise<Result<string>> {
      if (cached && now() < cached.expiresAt) return Promise.resolve({ ok: true, value: cached.token });
      pending ??= fetchToken().then((r): Result<string> => {
        if (!r.ok) return r;
        cached = r.value;
        return { ok: true, value: r.value.token };
      }).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    drop(token: string) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
