import type { Actor, Platform } from '../src/domain/report.ts';
import type { ChatDelivery } from '../src/ports/chat-delivery.ts';
import type { Logger } from '../src/ports/logger.ts';
import type { CoreDeps } from '../src/use-cases/context.ts';
import type { HttpRoute } from './http/http-route.ts';

/** What the composition root gives every chat adapter. */
export interface AdapterContext {
  readonly core: CoreDeps;
  readonly logger: Logger;
  /** Tells the outbox worker that new messages are waiting (after a use case committed). */
  readonly wakeOutbox: () => void;
}

/** A chat platform adapter: one inbound door, one outbound delivery. Translates; never decides. */
export interface ChatAdapter {
  readonly platform: Exclude<Platform, 'console'>;
  readonly delivery: ChatDelivery;
  /** HTTP routes served on PORT (e.g. `/slack/events`); empty for socket-only transports. */
  readonly routes: ReadonlyMap<string, HttpRoute>;
  /** Platform-specific triager membership (Slack user group, Discord role), beside `TRIAGERS`. */
  readonly isTriager?: (actor: Actor) => Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): { readonly connected: boolean; readonly [key: string]: unknown };
  /** Problems an operator must fix, shown in `/vuln health` (e.g. a triage channel that is not private). */
  alerts?(): readonly string[];
}
