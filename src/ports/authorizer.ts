import type { Actor } from '../domain/report.ts';

/** Decides, on every request, whether someone may take triage actions. Deny by default. */
export interface Authorizer {
  isTriager(actor: Actor): Promise<boolean>;
}

/**
 * `TRIAGERS` entries (`platform:userId`) plus any platform-specific checks (user groups, roles). The list
 * is read on every request, never snapshotted: whoever holds it can revoke someone for their next click.
 */
export const createAuthorizer = (
  allowList: readonly string[],
  extraChecks: readonly ((actor: Actor) => Promise<boolean>)[] = [],
): Authorizer => {
  return {
    async isTriager(actor) {
      const key = `${actor.platform}:${actor.userId}`;
      if (allowList.some((entry) => entry.trim() === key)) return true;
      for (const check of extraChecks) {
        try {
          if (await check(actor)) return true;
        } catch {
          // A failing membership lookup denies; it never grants.
        }
      }
      return false;
    },
  };
};
