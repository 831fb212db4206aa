import type { IncomingHttpHeaders } from 'node:http';
import type { APIInteractionResponse } from 'discord.js';
import type { Logger } from '../../src/ports/logger.ts';
import { type HttpReply, type HttpRoute, jsonAnswer } from '../http/http-route.ts';
import type { InteractionRouter } from './interaction-router.ts';
import { discordPublicKey, verifyDiscordSignature } from './verify-discord-signature.ts';

export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';

export interface HttpInteractionsOptions {
  readonly publicKeyHex: string;
  readonly router: InteractionRouter;
  readonly logger: Logger;
  readonly now?: () => number;
}

const send = (reply: HttpReply, status: number, body: unknown): void => reply.send(jsonAnswer(status, body));

/**
 * `POST /discord/interactions`: verifies the Ed25519 signature over the raw body (401 otherwise),
 * answers PING, and hands everything else to the router. The router's first response becomes this
 * HTTP response; what it does after that (database work, follow-ups over REST) continues in the
 * background, tracked by the router.
 */
export const createHttpInteractionsHandler = (options: HttpInteractionsOptions): HttpRoute => {
  const key = discordPublicKey(options.publicKeyHex);
  const now = options.now ?? Date.now;
  const handle = async (
    { headers, rawBody }: { headers: IncomingHttpHeaders; rawBody: Buffer },
    res: HttpReply,
  ) => {
    const check = verifyDiscordSignature(key, headers, rawBody, now());
    if (!check.ok) {
      options.logger.warn({ code: check.code }, 'discord interaction refused: bad signature');
      send(res, 401, { error: 'invalid request signature' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      send(res, 400, { error: 'unreadable body' });
      return;
    }
    if ((body as { type?: unknown } | null)?.type === 1) {
      send(res, 200, { type: 1 });
      return;
    }
    let answered: (() => void) | null = null;
    const firstResponse = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const respond = async (_interaction: unknown, response: APIInteractionResponse) => {
      send(res, 200, response);
      answered?.();
    };
    const outcome = await Promise.race([
      options.router.handle(body, respond),
      firstResponse.then(() => 'answered' as const),
    ]);
    if (outcome === 'duplicate') send(res, 409, { error: 'interaction already handled' });
    else if (outcome === 'unreadable') send(res, 400, { error: 'not an interaction' });
    else if (outcome === 'handled') send(res, 500, { error: 'no response' });
  };
  return { handle };
};
