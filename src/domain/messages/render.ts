// Renders a problem or error code into English or Chinese from the one catalogue.
import type { ParamValue, Params, Problem } from '../problems.js';
import { catalogue } from './index.js';
import type { Locale } from './types.js';

function formatValue(value: ParamValue, locale: Locale): string {
  if (Array.isArray(value)) return value.join(locale === 'zh-CN' ? '、' : ', ');
  return String(value);
}

/** Fills `{name}` placeholders; an unknown code renders as the code itself, never throws. */
export function renderMessage(code: string, params: Params, locale: Locale): string {
  const template = catalogue[code];
  if (!template) return code;
  const text = locale === 'zh-CN' ? template.zh : template.en;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : formatValue(value, locale);
  });
}

export function renderProblem(p: Problem, locale: Locale): string {
  return renderMessage(p.code, p.params, locale);
}
