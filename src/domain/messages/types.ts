// Shape of a message catalogue part: each stable code has an English and a Chinese template;
// `{name}` placeholders are filled from the problem's params when rendered.

export type Locale = 'en' | 'zh-CN';

export interface MessageTemplate {
  readonly en: string;
  readonly zh: string;
}

export type MessageCatalogue = Readonly<Record<string, MessageTemplate>>;
