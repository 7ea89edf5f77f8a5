import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

export class ConversationNotFoundError extends EnclaveError {
  constructor(readonly conversationId: string) {
    super(ErrorCode.ConversationNotFound, `Conversation ${conversationId} does not exist (it may have been deleted).`);
  }
}

export class MessageNotFoundError extends EnclaveError {
  constructor(readonly messageId: string) {
    super(ErrorCode.MessageNotFound, `Message ${messageId} does not exist (it may have been deleted).`);
  }
}

export class ChatStateError extends EnclaveError {
  constructor(message: string) {
    super(ErrorCode.ChatState, message);
  }
}
