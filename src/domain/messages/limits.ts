// Messages for the limits area (placeholder until the area's codes land).
import type { MessageCatalogue } from './types.js';

export const limitsMessages: MessageCatalogue = {};
