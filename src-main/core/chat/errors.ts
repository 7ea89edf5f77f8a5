import { EnclaveError } from '../EnclaveError';

export class ConversationNotFoundError extends EnclaveError {
  constructor(readonly conversationId: string) {
    super('CONVERSATION_NOT_FOUND', `Conversation ${conversationId} does not exist (it may have been deleted).`);
  }
}

export class MessageNotFoundError extends EnclaveError {
  constructor(readonly messageId: string) {
    super('MESSAGE_NOT_FOUND', `Message ${messageId} does not exist (it may have been deleted).`);
  }
}

export class ChatStateError extends EnclaveError {
  constructor(message: string) {
    super('CHAT_STATE', message);
  }
}
