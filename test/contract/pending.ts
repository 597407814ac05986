/**
 * Contract elements the supergraph does not serve yet, by the issue that builds them. The contract
 * test fails when one of these lands without being removed here, and when anything else is missing.
 */
export const pendingContractElements: readonly string[] = [];
