import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from 'discord.js';
import { MESSAGE_LIMIT } from '../../../src/use-cases/conversation.ts';
import { customId, MODALS } from '../custom-ids.ts';
import { clip, DISCORD_LIMITS } from './limits.ts';

/** Every one-field modal reads its value from this text input. */
export const MODAL_TEXT_INPUT = 'text';

interface TextModal {
  readonly modal: string;
  readonly reportId: string;
  readonly title: string;
  readonly label: string;
  readonly description?: string;
  readonly paragraph?: boolean;
  readonly maxLength?: number;
  readonly placeholder?: string;
  readonly value?: string;
}

const textModal = (o: TextModal): APIModalInteractionResponseCallbackData => ({
  custom_id: customId(o.modal, o.reportId),
  title: clip(o.title, DISCORD_LIMITS.modalTitle),
  components: [
    {
      type: ComponentType.Label,
      label: clip(o.label, DISCORD_LIMITS.labelText),
      ...(o.description ? { description: clip(o.description, DISCORD_LIMITS.labelDescription) } : {}),
      component: {
        type: ComponentType.TextInput,
        custom_id: MODAL_TEXT_INPUT,
        style: o.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: true,
        max_length: o.maxLength ?? MESSAGE_LIMIT,
        ...(o.placeholder ? { placeholder: clip(o.placeholder, DISCORD_LIMITS.textInputPlaceholder) } : {}),
        ...(o.value ? { value: o.value } : {}),
      },
    },
  ],
});

export const disclosureModal = (reportId: string, current: string | null) =>
  textModal({
    modal: MODALS.disclosure,
    reportId,
    title: `Disclosure date for ${reportId}`,
    label: 'Public disclosure date',
    description: 'YYYY-MM-DD, or +30d for 30 days from today. The reporter is told.',
    maxLength: 20,
    placeholder: '2027-03-01 or +30d',
    ...(current ? { value: current } : {}),
  });

export const duplicateModal = (reportId: string) =>
  textModal({
    modal: MODALS.duplicate,
    reportId,
    title: `${reportId} is a duplicate of…`,
    label: 'Original report ID',
    maxLength: 30,
    placeholder: 'VULN-0001',
  });

export const replyModal = (reportId: string) =>
  textModal({
    modal: MODALS.reply,
    reportId,
    title: `Reply to the reporter of ${reportId}`,
    label: 'Message',
    description: 'Sent to the reporter by direct message and noted in the thread.',
    paragraph: true,
  });

export const needsInfoModal = (reportId: string) =>
  textModal({
    modal: MODALS.needsInfo,
    reportId,
    title: `What do you need for ${reportId}?`,
    label: 'Question for the reporter',
    description: 'The report moves to "Needs more info" and the reporter gets this question.',
    paragraph: true,
  });

export const reporterAnswerModal = (reportId: string) =>
  textModal({
    modal: MODALS.reporterAnswer,
    reportId,
    title: `Answer about ${reportId}`,
    label: 'Your answer',
    description: 'Goes straight to the security team.',
    paragraph: true,
  });
