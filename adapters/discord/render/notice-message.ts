import { ButtonStyle, ComponentType } from 'discord.js';
import type { ReporterNotice } from '../../../src/views/reporter-notice.ts';
import { customId, REPORTER_ANSWER_BUTTON } from '../custom-ids.ts';
import { escapeClip } from './escape.ts';
import type { MessageBody } from './message-body.ts';
import { textMessage } from './text-message.ts';

const TITLE_ROOM = 200;

/** A reporter's direct message: the report's ID and title, the notice, and a Reply button when asked. */
export const noticeMessage = (notice: ReporterNotice): MessageBody => {
  const header = `**${notice.reportId}: ${escapeClip(notice.title, TITLE_ROOM)}**`;
  const message = textMessage(header, notice.lines.join('\n'));
  if (!notice.canReply) return message;
  return {
    ...message,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: 'Reply',
            custom_id: customId(REPORTER_ANSWER_BUTTON, notice.reportId),
          },
        ],
      },
    ],
  };
};

/** Posted in the card's thread when the reporter does not accept direct messages from the server. */
export const undeliveredNoticeMessage = (notice: ReporterNotice): MessageBody =>
  textMessage(
    `**Could not send a direct message to the reporter of ${notice.reportId}** (they do not accept direct messages from this server). They were not told:`,
    notice.lines.join('\n'),
  );

export const threadNoteMessage = (text: string): MessageBody => textMessage('', text);

export const channelTextMessage = (title: string, lines: readonly string[]): MessageBody =>
  textMessage(`**${escapeClip(title, TITLE_ROOM)}**`, lines.join('\n'));
