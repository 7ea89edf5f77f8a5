import type { CloudMessage } from './CloudClient';

export type ConversationTurn = CloudMessage & { role: 'user' | 'assistant' };

/**
 * Anthropic and Gemini take the system prompt apart from the turns: the system messages joined
 * by a blank line (empty when there are none), and the user and assistant turns in order.
 */
export function splitSystemPrompt(messages: CloudMessage[]): { system: string; turns: ConversationTurn[] } {
  return {
    system: messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n\n'),
    turns: messages.filter((m): m is ConversationTurn => m.role !== 'system')
  };
}
