import {
  LlamaText,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatModelFunctionCall,
  type ChatModelFunctions,
  type ChatWrapper,
  type GbnfJsonSchema,
  type LlamaGrammar,
  type LlamaModel
} from 'node-llama-cpp';
import { InvalidArgumentsError } from '../EnclaveError';
import { UnsupportedSchemaError } from './errors';
import { toGrammarSchema } from './jsonSchemaGrammar';
import type { ChatTurn, GenerateChatOptions } from './types';

/** A tool name the call syntax of every chat wrapper can carry (the same rule as OpenAI's). */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const GRAMMAR_CACHE_SIZE = 32;

/** A chat request checked and counted, ready to run. */
export interface ChatPlan {
  history: ChatHistoryItem[];
  promptTokens: number;
  maxTokens: number | undefined;
  /** The functions offered to the model, if any. */
  functions: ChatModelFunctions | undefined;
  chatWrapper: ChatWrapper;
  grammar: Promise<LlamaGrammar> | undefined;
}

/**
 * Turns a chat request into node-llama-cpp's terms for one model: tools, tool choice and response
 * format checked, the prompt counted with the model's chat template, grammars compiled (and cached).
 */
export class ChatPlanner {
  /** The chat template, resolved once: counting prompt tokens before queueing needs it. */
  private readonly chatWrapper: ChatWrapper;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  constructor(private readonly model: LlamaModel) {
    this.chatWrapper = resolveChatWrapper(model);
  }

  /**
   * Everything that can refuse a chat before it queues. `fitReply` gets the prompt's token count
   * and returns the reply length to ask for (or throws when it does not fit).
   */
  plan(turns: ChatTurn[], options: GenerateChatOptions, fitReply: (promptTokens: number) => number | undefined): ChatPlan {
    const choice = options.toolChoice ?? 'auto';
    const tools = options.tools ?? [];
    // A Map, then fromEntries: a tool named "__proto__" must stay an ordinary key.
    const definitions = new Map<string, { description?: string; params?: GbnfJsonSchema }>();
    for (const [index, tool] of tools.entries()) {
      if (!TOOL_NAME.test(tool.name))
        throw new InvalidArgumentsError('generateChat', [
          `tool ${index}: the name "${tool.name}" must be 1-64 letters, digits, "_" or "-"`
        ]);
      if (definitions.has(tool.name)) throw new InvalidArgumentsError('generateChat', [`tool ${index}: "${tool.name}" is defined twice`]);
      const params =
        tool.parameters === undefined
          ? undefined
          : toGrammarSchema(tool.parameters, { target: { kind: 'toolParameters', toolIndex: index }, strict: tool.strict });
      definitions.set(tool.name, { ...(tool.description && { description: tool.description }), ...(params && { params }) });
    }
    const functions: ChatModelFunctions = Object.fromEntries(definitions);
    let offered: ChatModelFunctions | undefined;
    let forceToolCall = false;
    if (typeof choice === 'object') {
      const chosen = definitions.get(choice.name);
      if (!chosen) throw new InvalidArgumentsError('generateChat', [`tool_choice names "${choice.name}", which is not one of the tools`]);
      offered = Object.fromEntries([[choice.name, chosen]]);
      forceToolCall = true;
    } else if (choice === 'required') {
      if (tools.length === 0) throw new InvalidArgumentsError('generateChat', ['tool_choice "required" needs at least one tool']);
      offered = functions;
      forceToolCall = true;
    } else if (choice === 'auto' && tools.length > 0) {
      offered = functions;
    }

    const format = options.responseFormat ?? { type: 'text' };
    if (format.type !== 'text' && offered)
      throw new InvalidArgumentsError('generateChat', [
        'a JSON response format cannot be combined with tools on a local model; use tool_choice "none" or drop one'
      ]);
    const grammarSchema =
      format.type === 'json_schema'
        ? toGrammarSchema(format.schema, { target: { kind: 'responseFormat' }, strict: format.strict })
        : undefined;

    const history = toChatHistory(turns);
    const promptTokens = this.chatWrapper
      .generateContextState({ chatHistory: history, availableFunctions: offered, documentFunctionParams: offered ? true : undefined })
      .contextText.tokenize(this.model.tokenizer).length;
    const maxTokens = fitReply(promptTokens);
    // Start compiling the grammar now; the job awaits it before it reports a start.
    const grammar =
      format.type === 'json_object'
        ? this.grammar('json', () => this.model.llama.getGrammarFor('json'))
        : grammarSchema
          ? this.schemaGrammar(grammarSchema)
          : undefined;
    grammar?.catch(() => {}); // observed by the job; never an unhandled rejection
    return {
      history,
      promptTokens,
      maxTokens,
      functions: offered,
      chatWrapper: forceToolCall ? forcedToolCallWrapper(this.chatWrapper) : this.chatWrapper,
      grammar
    };
  }

  private schemaGrammar(schema: GbnfJsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    return this.grammar(key, () =>
      // The schema's shape is only known at run time; toGrammarSchema made it a valid GbnfJsonSchema.
      this.model.llama.createGrammarForJsonSchema(schema as Readonly<{ type: 'object' }>).catch((error: unknown) => {
        throw new UnsupportedSchemaError(
          { kind: 'responseFormat' },
          '',
          `no grammar could be built from it (${(error as Error)?.message ?? error})`
        );
      })
    );
  }

  /** Grammars are compiled once per distinct schema (a small LRU). */
  private grammar(key: string, create: () => Promise<LlamaGrammar>): Promise<LlamaGrammar> {
    let grammar = this.grammars.get(key);
    if (grammar) {
      this.grammars.delete(key);
    } else {
      grammar = create();
      grammar.catch(() => this.grammars.delete(key));
    }
    this.grammars.set(key, grammar);
    if (this.grammars.size > GRAMMAR_CACHE_SIZE) this.grammars.delete(this.grammars.keys().next().value!);
    return grammar;
  }
}

function toChatHistory(turns: ChatTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = turns.map((turn) => {
    if (turn.role === 'system') return { type: 'system', text: turn.content };
    if (turn.role === 'user') return { type: 'user', text: turn.content };
    const calls: ChatModelFunctionCall[] = (turn.toolCalls ?? []).map((call) => ({
      type: 'functionCall',
      name: call.name,
      params: call.arguments,
      result: call.result
    }));
    return { type: 'model', response: turn.content || calls.length === 0 ? [turn.content, ...calls] : calls };
  });
  history.push({ type: 'model', response: [] });
  return history;
}

/**
 * The chat template, made to open the reply with its function-call syntax, so the model must call
 * one of the offered functions (node-llama-cpp then constrains the name and the arguments).
 */
function forcedToolCallWrapper(inner: ChatWrapper): ChatWrapper {
  const forced = Object.create(inner) as ChatWrapper;
  forced.generateContextState = (options) => {
    const state = inner.generateContextState(options);
    if (state.functionCall) return { ...state, functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] } };
    return {
      contextText: state.contextText,
      stopGenerationTriggers: state.stopGenerationTriggers,
      noPrefixTrigger: { type: 'functionCall', inject: LlamaText(inner.settings.functions.call.prefix) },
      detectFunctionCalls: true
    };
  };
  return forced;
}
