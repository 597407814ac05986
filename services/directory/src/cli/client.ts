/** A GraphQL error as the hub sends it: a typed code and, for bad input, the field at fault. */
export interface RemoteError {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly field?: string };
}

export interface GraphqlResponse<T> {
  readonly data?: T | null;
  readonly errors?: readonly RemoteError[];
}

/** The hub cannot be reached or refuses the request as a whole: nothing row-specific about it. */
export class HubUnavailableError extends Error {
  constructor(
    message: string,
    /** The hub rejected the token itself: trying again cannot help. */
    readonly refusedToken = false,
  ) {
    super(message);
  }
}

const describe = (errors: readonly RemoteError[]): string =>
  errors.map((e) => (e.extensions?.code ? `${e.extensions.code}: ${e.message}` : e.message)).join('; ');

/** POSTs GraphQL to the gateway or a subgraph, with the caller's token when there is one. */
export class GraphqlClient {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse<T>> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new HubUnavailableError(`cannot reach the hub at ${this.url}: ${cause}`);
    }
    const text = await response.text();
    let body: GraphqlResponse<T>;
    try {
      body = JSON.parse(text) as GraphqlResponse<T>;
    } catch {
      throw new HubUnavailableError(
        `${this.url} answered HTTP ${response.status} without a GraphQL response: ${text.slice(0, 200)}`,
      );
    }
    // Apollo answers a bad token before running anything: every further request would fail alike.
    const unauthenticated = body.errors?.find((e) => e.extensions?.code === 'UNAUTHENTICATED');
    if (unauthenticated) throw new HubUnavailableError(`the hub refused the token: ${unauthenticated.message}`, true);
    return body;
  }

  /** A read whose failure leaves nothing sensible to do: any error is thrown. */
  async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = await this.request<T>(query, variables);
    if (body.errors?.length || !body.data) {
      throw new HubUnavailableError(`the hub answered with errors: ${describe(body.errors ?? [])}`);
    }
    return body.data;
  }
}
