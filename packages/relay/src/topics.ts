/** The bounded contexts that publish to the bus, one topic each (design §2). */
export const CONTEXTS = ['directory', 'content', 'press-orders'] as const;
export type Context = (typeof CONTEXTS)[number];

export const contextTopic = (context: Context): string => `hub.${context}`;
