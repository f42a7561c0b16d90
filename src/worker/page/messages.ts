/**
 * What the page says when a request fails: a sentence for a person, by error code. The JSON API keeps the
 * contract's messages (they name fields and limits for a programmer); the page shows these instead.
 */
import type { ErrorCode } from '../contract/errors.ts';
import { LIMITS } from '../contract/limits.ts';
import { thousands } from './format.ts';

const SEND_AGAIN = 'Paste your review in the box and send it again.';
const LATER = 'Something went wrong on our side. Try again in a moment.';

const MESSAGES: Record<ErrorCode, (text?: string) => string> = {
  missing_text: () => 'Paste a review first.',
  empty_text: () => 'Paste a review first.',
  invalid_text: () => `We couldn't read that review. ${SEND_AGAIN}`,
  invalid_form: () => `We couldn't read that form. ${SEND_AGAIN}`,
  no_words: () => "We couldn't find any words in that text. Paste a review written in English.",
  text_too_long: (text) =>
    `${text === undefined ? 'That review is too long' : `That review is ${thousands(text.length)} characters long`}; ` +
    `the limit is ${thousands(LIMITS.maxTextChars)}. Shorten it and send it again.`,
  too_much_work: () => 'That review is more than this server can read at once. Shorten it and send it again.',
  body_too_large: () =>
    'That was more than this page accepts in one go. ' +
    `Send a review of up to ${thousands(LIMITS.maxTextChars)} characters.`,
  unsupported_media_type: () => `That request couldn't be read as a form. ${SEND_AGAIN}`,
  model_unavailable: () => "The model isn't available right now. Try again in a moment.",
  rate_limited: () => 'Many reviews came from your address just now. Wait a minute, then send it again.',
  not_found: () => "There's nothing at this address. You can analyse a review with the form below.",
  method_not_allowed: () => "This page can't be used that way. Use the form below to analyse a review.",
  // The JSON API's own errors: a browser on the page never causes them, but a sentence is better than a code.
  invalid_json: () => `That request couldn't be read. ${SEND_AGAIN}`,
  invalid_body: () => `That request couldn't be read. ${SEND_AGAIN}`,
  too_many_texts: () => 'The page analyses one review at a time. Paste one review and send it.',
  invalid_trace: () => `That request couldn't be read. ${SEND_AGAIN}`,
  trace_unavailable: () => 'This model has no word-by-word view. Send the review again to see its result.',
  // GET /how's word box; `text` is the word that was sent.
  missing_word: () => 'Type a word first, such as “good”.',
  unknown_word: (word) =>
    `${word ? `“${word.length > 40 ? `${word.slice(0, 39)}…` : word}” is` : 'That word is'} not one of the ` +
    'words the model knows. Try another single word, such as “great”.',
  misconfigured: () => LATER,
  internal_error: () => LATER,
};

/** The page's sentence for an error `code`; `text` is the review that was sent, when the page has it. */
export function pageMessage(code: string, text?: string): string {
  const message = MESSAGES[code as ErrorCode];
  return message ? message(text) : LATER;
}
