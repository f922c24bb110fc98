/**
 * In-process n8n workflow-test harness: real n8n-core engine, real request helpers, a credential
 * store and helper that behave like n8n's server. See README.md in this folder.
 */
export {
	DATTO_CREDENTIAL_TYPE,
	TestCredentialStore,
	StoredCredentials,
	CredentialNotFoundError,
	type StoredCredential,
	type CredentialWrite,
} from './credential-store.cjs';
export { TestCredentialsHelper, type PreAuthenticationCall } from './credentials-helper.cjs';
export {
	DATTO_NODE_TYPE,
	MANUAL_TRIGGER_TYPE,
	ITEMS_SOURCE_TYPE,
	NO_OP_TYPE,
	PACKAGE_NAME,
	TestManualTrigger,
	TestItemsSource,
	TestNoOp,
	TestNodeTypes,
	communityNodeType,
	defaultNodeTypes,
} from './node-types.cjs';
export {
	N8nTestHarness,
	getDefaultHarness,
	runWorkflow,
	runDattoNode,
	type CredentialRef,
	type WorkflowDefinition,
	type WorkflowRunResult,
	type RunDattoNodeOptions,
	type DattoRunResult,
	type HarnessOptions,
	type ReportedError,
} from './engine.cjs';
export { testCredential, type CredentialTestOptions, type CredentialTestOutcome } from './credential-test.cjs';
export {
	simulatorCredentialData,
	startSimulatedAccount,
	type SimulatedAccount,
} from './simulator.cjs';
export { searchAll, searchList, type ListSearchOptions } from './list-search.cjs';
export { serializeAll, findSecrets } from './leaks.cjs';
export {
	startStubServer,
	unusedLocalUrl,
	type StubServer,
	type StubReply,
	type StubRequest,
} from './stub-server.cjs';
