// A recorded failure (a step's, a task's or a cluster's `error`: a code and its parameters, flat)
// as a sentence in the console's language, from the same catalogue as every other message.
import { catalogue, renderMessage, type Locale } from '../../../src/domain/messages/index.js';
import type { Params } from '../../../src/domain/problems.js';

export function failureText(error: Record<string, unknown> | null | undefined, locale: Locale): string {
  if (!error) return '';
  const code = typeof error.code === 'string' ? error.code : '';
  if (code && catalogue[code]) return renderMessage(code, error as Params, locale);
  return JSON.stringify(error);
}
