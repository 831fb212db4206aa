import type { Actor } from '../../src/domain/report.ts';
import type { DiscordInteraction } from './interaction.ts';

/**
 * Role IDs of the member behind each actor the router built from a verified interaction in the
 * configured guild. Keyed by the actor object itself, so nothing extra reaches the core or storage,
 * and a role is only ever trusted for the very interaction it came with.
 */
const rolesByActor = new WeakMap<Actor, readonly string[]>();

/** The Discord user behind an interaction as the core's actor (display name: nickname, global name, username). */
export const actorFor = (interaction: DiscordInteraction, guildId: string): Actor => {
  const actor: Actor = {
    platform: 'discord',
    userId: interaction.userId,
    displayName: interaction.displayName,
  };
  if (interaction.guildId === guildId && interaction.memberRoles)
    rolesByActor.set(actor, interaction.memberRoles);
  return actor;
};

/**
 * The adapter's triager check (beside `TRIAGERS` entries `discord:<id>`): membership of the triage
 * role, read from the interaction's `member.roles`. Permissions (even Administrator) never count.
 */
export const createDiscordRoleCheck =
  (triageRoleId: string | null) =>
  async (actor: Actor): Promise<boolean> =>
    triageRoleId !== null &&
    actor.platform === 'discord' &&
    (rolesByActor.get(actor)?.includes(triageRoleId) ?? false);
