// The one message catalogue: every stable code of the domain, in English and Chinese.
// Areas keep their own part; this file merges them and a test checks code ↔ docs/errors.md.
import { apiMessages } from './api.js';
import { engineMessages } from './engine.js';
import { gpuMessages } from './gpu.js';
import { limitsMessages } from './limits.js';
import { netMessages } from './net.js';
import { nodeMessages } from './node.js';
import { specMessages } from './spec.js';
import { systemMessages } from './system.js';
import type { MessageCatalogue } from './types.js';

export const catalogue: MessageCatalogue = {
  ...specMessages,
  ...netMessages,
  ...limitsMessages,
  ...systemMessages,
  ...gpuMessages,
  ...apiMessages,
  ...engineMessages,
  ...nodeMessages,
};

export type { Locale, MessageCatalogue, MessageTemplate } from './types.js';
export { renderMessage, renderProblem } from './render.js';
