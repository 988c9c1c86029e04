// Messages for the net area (placeholder until the area's codes land).
import type { MessageCatalogue } from './types.js';

export const netMessages: MessageCatalogue = {};
