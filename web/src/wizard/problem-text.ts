// A problem in the wizard's language: the server's own text for problems it found, the domain's
// catalogue for those the wizard's live validation found (the wizard loads the catalogue anyway).
import { renderProblem, type Locale } from '../../../src/domain/index.js';
import { problemText as serverText, type ApiProblem } from '../api/client.js';

export function problemText(p: ApiProblem, locale: Locale): string {
  return p.message === undefined && p.messageZh === undefined
    ? renderProblem(p, locale)
    : serverText(p, locale);
}
