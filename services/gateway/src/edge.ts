import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { callerFromAuthorizationHeader, type Verifier } from '@hub/auth';
import { isHubError } from '@hub/errors';
import { clientInputError, DateTimeScalar, screenInput, toGraphQLError, VndScalar } from '@hub/graphql-kit';
import { type DocumentNode, type ExecutionResult, GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';

/**
 * The gateway is the one edge every client request crosses, so input is judged here once, by the
 * hub's own rules, and errors name what the client sent:
 * - the hub's scalars coerce at the gateway (not only in a subgraph), so a bad DateTime or VND is
 *   reported against the client's argument, not a subgraph's internal variable;
 * - strings that can never be stored (NUL, other control characters, lone surrogates) are refused
 *   before any subgraph is asked;
 * - every validation and coercion error about input is BAD_USER_INPUT with `extensions.field`,
 *   and no error offers "did you mean …".
 */
export const hubScalarResolvers = { DateTime: DateTimeScalar, VND: VndScalar };

const isExecutionResult = (value: unknown): value is ExecutionResult =>
  typeof value === 'object' && value !== null && !(Symbol.asyncIterator in value);

const operationOf = (document: DocumentNode, name?: string | null): OperationDefinitionNode | undefined =>
  document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (!name || definition.name?.value === name),
  );

/**
 * Operations whose literals passed the screen, per parsed document: the gateway reuses the parsed
 * document of a query it has seen, so a repeated request without variables is not walked again.
 * Requests with variables, and refused ones, are screened whole every time.
 */
const cleanLiterals = new WeakMap<DocumentNode, Set<string>>();

function screen(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): GraphQLError | null {
  const operation = operationOf(document, operationName);
  if (!operation) return null;
  if (variables && Object.keys(variables).length > 0) return screenInput(operation, document, variables);
  const key = operationName ?? '';
  if (cleanLiterals.get(document)?.has(key)) return null;
  const refused = screenInput(operation, document, undefined);
  if (!refused) {
    const clean = cleanLiterals.get(document) ?? new Set<string>();
    clean.add(key);
    cleanLiterals.set(document, clean);
  }
  return refused;
}

const mapErrors = (result: ExecutionResult, document: DocumentNode): ExecutionResult =>
  result.errors ? { ...result, errors: result.errors.map((error) => clientInputError(error, document)) } : result;

export function inputEdgePlugin(): GatewayPlugin {
  return {
    onValidate({ params }) {
      return ({ valid, result, setResult }) => {
        if (!valid) {
          setResult(
            result.map((error: Error) =>
              error instanceof GraphQLError ? clientInputError(error, params.documentAST) : error,
            ),
          );
        }
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const refused = screen(args.document, args.operationName, args.variableValues);
      if (refused) {
        setResultAndStopExecution({ errors: [refused] });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (isExecutionResult(result)) setResult(mapErrors(result, args.document));
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = screen(args.document, args.operationName, args.variableValues);
      if (refused) {
        setResultAndStopExecution({ errors: [refused] });
        return;
      }
      return {
        onSubscribeResult({ result, setResult }) {
          if (isExecutionResult(result)) setResult(mapErrors(result, args.document));
        },
      };
    },
  };
}

/**
 * A subscription's token is checked at the gateway before the subscription starts, so a bad one
 * is refused with UNAUTHENTICATED over graphql-ws and SSE alike (the upstream socket's refusal
 * would reach the client without its code). Queries and mutations are checked by the subgraphs.
 */
export function subscriberAuthenticationPlugin(verifier: Verifier): GatewayPlugin {
  return {
    async onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue as { request?: Request };
      try {
        await callerFromAuthorizationHeader(verifier, context.request?.headers.get('authorization'));
      } catch (error) {
        if (!isHubError(error)) throw error;
        setResultAndStopExecution({ errors: [toGraphQLError(error)] });
      }
    },
  };
}
