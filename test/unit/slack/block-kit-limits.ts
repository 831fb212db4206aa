/**
 * Slack's documented Block Kit limits, written out here rather than imported from the adapter, so a
 * wrong number in the adapter cannot make its own output look valid.
 */
export const BLOCK_KIT = {
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

const SLACK_LIMITS = BLOCK_KIT;

/** One place where rendered Block Kit breaks a Slack limit (Slack would answer `invalid_blocks`). */
export interface LimitProblem {
  readonly path: string;
  readonly problem: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const textOf = (value: unknown): string | null =>
  isObject(value) && typeof value.text === 'string' ? value.text : null;

/** Checks Block Kit against Slack's documented limits; returns every problem found. */
class LimitChecker {
  readonly problems: LimitProblem[] = [];

  private report(path: string, problem: string) {
    this.problems.push({ path, problem });
  }

  private max(path: string, what: string, length: number, limit: number) {
    if (length > limit) this.report(path, `${what} is ${length} long; the limit is ${limit}`);
  }

  /** A text object: plain_text or mrkdwn, never empty, within `limit` characters. */
  textObject(path: string, value: unknown, limit: number, plainOnly = false) {
    if (!isObject(value)) return this.report(path, 'missing text object');
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn') {
      return this.report(path, `text type ${String(value.type)}`);
    }
    if (plainOnly && value.type !== 'plain_text') this.report(path, 'must be plain_text');
    const text = textOf(value);
    if (text === null || text.length === 0) return this.report(path, 'empty text');
    this.max(path, 'text', text.length, limit);
  }

  option(path: string, option: unknown) {
    if (!isObject(option)) return this.report(path, 'option is not an object');
    this.textObject(`${path}.text`, option.text, SLACK_LIMITS.optionText);
    const value = typeof option.value === 'string' ? option.value : '';
    if (value.length === 0) this.report(`${path}.value`, 'empty option value');
    this.max(`${path}.value`, 'option value', value.length, SLACK_LIMITS.optionValue);
  }

  element(path: string, element: unknown) {
    if (!isObject(element)) return this.report(path, 'element is not an object');
    if (typeof element.action_id === 'string')
      this.max(`${path}.action_id`, 'action_id', element.action_id.length, 255);
    if (element.placeholder !== undefined) {
      this.textObject(`${path}.placeholder`, element.placeholder, SLACK_LIMITS.placeholder, true);
    }
    switch (element.type) {
      case 'button': {
        this.textObject(`${path}.text`, element.text, SLACK_LIMITS.buttonText, true);
        const value = typeof element.value === 'string' ? element.value : '';
        this.max(`${path}.value`, 'button value', value.length, SLACK_LIMITS.buttonValue);
        break;
      }
      case 'static_select':
      case 'checkboxes':
      case 'radio_buttons': {
        const options = Array.isArray(element.options) ? element.options : [];
        if (options.length === 0) this.report(`${path}.options`, 'no options');
        const limit = element.type === 'static_select' ? SLACK_LIMITS.selectOptions : 10;
        this.max(`${path}.options`, 'option count', options.length, limit);
        options.forEach((option, i) => {
          this.option(`${path}.options[${i}]`, option);
        });
        break;
      }
      case 'plain_text_input': {
        const max = typeof element.max_length === 'number' ? element.max_length : SLACK_LIMITS.plainTextInput;
        this.max(`${path}.max_length`, 'max_length', max, SLACK_LIMITS.plainTextInput);
        if (max < 1) this.report(`${path}.max_length`, 'max_length below 1');
        if (typeof element.initial_value === 'string') {
          this.max(`${path}.initial_value`, 'initial_value', element.initial_value.length, max);
        }
        break;
      }
      case 'datepicker':
        if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
          this.report(`${path}.initial_date`, `not YYYY-MM-DD: ${String(element.initial_date)}`);
        }
        break;
      default:
        this.report(path, `unexpected element type ${String(element.type)}`);
    }
  }

  block(path: string, block: unknown) {
    if (!isObject(block)) return this.report(path, 'block is not an object');
    if (typeof block.block_id === 'string') {
      this.max(`${path}.block_id`, 'block_id', block.block_id.length, SLACK_LIMITS.blockId);
    }
    switch (block.type) {
      case 'header':
        this.textObject(`${path}.text`, block.text, SLACK_LIMITS.header, true);
        break;
      case 'section': {
        if (block.text === undefined && block.fields === undefined) this.report(path, 'section without text');
        if (block.text !== undefined) this.textObject(`${path}.text`, block.text, SLACK_LIMITS.sectionText);
        if (block.fields !== undefined) {
          const fields = Array.isArray(block.fields) ? block.fields : [];
          if (fields.length === 0) this.report(`${path}.fields`, 'empty fields');
          this.max(`${path}.fields`, 'field count', fields.length, SLACK_LIMITS.sectionFields);
          fields.forEach((field, i) => {
            this.textObject(`${path}.fields[${i}]`, field, SLACK_LIMITS.sectionField);
          });
        }
        if (block.accessory !== undefined) this.element(`${path}.accessory`, block.accessory);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) this.report(`${path}.elements`, 'empty context');
        this.max(`${path}.elements`, 'context element count', elements.length, 10);
        elements.forEach((element, i) => {
          this.textObject(`${path}.elements[${i}]`, element, SLACK_LIMITS.sectionText);
        });
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) this.report(`${path}.elements`, 'empty actions');
        this.max(`${path}.elements`, 'actions element count', elements.length, SLACK_LIMITS.actionsElements);
        elements.forEach((element, i) => {
          this.element(`${path}.elements[${i}]`, element);
        });
        break;
      }
      case 'input':
        this.textObject(`${path}.label`, block.label, SLACK_LIMITS.inputLabel, true);
        if (block.hint !== undefined)
          this.textObject(`${path}.hint`, block.hint, SLACK_LIMITS.inputHint, true);
        this.element(`${path}.element`, block.element);
        break;
      case 'divider':
        break;
      default:
        this.report(path, `unexpected block type ${String(block.type)}`);
    }
  }

  blocks(blocks: unknown, limit: number) {
    if (!Array.isArray(blocks)) return this.report('blocks', 'blocks is not an array');
    if (blocks.length === 0) this.report('blocks', 'no blocks');
    this.max('blocks', 'block count', blocks.length, limit);
    blocks.forEach((block, i) => {
      this.block(`blocks[${i}]`, block);
    });
  }
}

/** A chat message (`chat.postMessage`, `chat.update`, ephemeral, response_url): ≤ 50 blocks. */
export const messageLimitProblems = (message: { readonly text?: unknown; readonly blocks?: unknown }) => {
  const check = new LimitChecker();
  check.blocks(message.blocks, SLACK_LIMITS.messageBlocks);
  const text = typeof message.text === 'string' ? message.text : '';
  if (text.length > SLACK_LIMITS.messageText) {
    check.problems.push({ path: 'text', problem: `text fallback is ${text.length} long` });
  }
  return check.problems;
};

/** A modal view: title/submit/close ≤ 24, ≤ 100 blocks, private_metadata ≤ 3000. */
export const modalLimitProblems = (view: Record<string, unknown>) => {
  const check = new LimitChecker();
  if (view.type !== 'modal') check.problems.push({ path: 'type', problem: 'not a modal' });
  check.textObject('title', view.title, SLACK_LIMITS.modalTitle, true);
  if (view.submit !== undefined) check.textObject('submit', view.submit, SLACK_LIMITS.modalButton, true);
  if (view.close !== undefined) check.textObject('close', view.close, SLACK_LIMITS.modalButton, true);
  if (view.private_metadata !== undefined) {
    const metadata = String(view.private_metadata);
    if (metadata.length > SLACK_LIMITS.privateMetadata) {
      check.problems.push({
        path: 'private_metadata',
        problem: `private_metadata is ${metadata.length} long`,
      });
    }
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
    check.problems.push({ path: 'callback_id', problem: 'callback_id too long' });
  }
  const hasInputs = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
  if (hasInputs && view.submit === undefined) {
    check.problems.push({ path: 'submit', problem: 'a modal with inputs needs a submit button' });
  }
  check.blocks(view.blocks, SLACK_LIMITS.modalBlocks);
  return check.problems;
};
