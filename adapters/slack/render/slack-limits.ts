/** Slack Block Kit limits that shape what the bot renders. */
export const SLACK_LIMITS = {
  modalTitle: 24,
  modalButton: 24,
  modalBlocks: 100,
  messageBlocks: 50,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  actionsElements: 25,
  plainTextInput: 3000,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  blockId: 255,
  messageText: 40000,
} as const;

/** Cuts text to a limit, marking the cut with an ellipsis. */
export const clip = (text: string, limit: number): string =>
  text.length <= limit ? text : `${text.slice(0, Math.max(0, limit - 1))}…`;
