import type { Actor } from '../domain/report.ts';

/** Decides, on every request, whether someone may take triage actions. Deny by default. */
export interface Authorizer {
  isTriager(actor: Actor): Promise<boolean>;
}

/** `TRIAGERS` entries (`platform:userId`) plus any platform-specific checks (user groups, roles). */
export const createAuthorizer = (
  allowList: readonly string[],
  extraChecks: readonly ((actor: Actor) => Promise<boolean>)[] = [],
): Authorizer => {
  const allowed = new Set(allowList.map((entry) => entry.trim()).filter((entry) => entry.length > 0));
  return {
    async isTriager(actor) {
      if (allowed.has(`${actor.platform}:${actor.userId}`)) return true;
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
