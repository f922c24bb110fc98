import type { IDataObject, IHttpRequestMethods, INodeProperties } from 'n8n-workflow';

import type { Simplifier } from '../simplify';
import type { RequestOptions } from '../../shared/transport/request';
import type { DattoContext, RequestSafety } from '../../shared/transport/requestTypes';

/** Where a parameter's value goes in the request. */
export type FieldLocation = 'path' | 'query' | 'body' | 'none';

/** Turns a user's value into what the API wants; throws InputError naming the field when it cannot. */
export type Converter = (value: unknown, label: string) => unknown;

export interface FieldSpec {
	/** The n8n parameter; the description builder adds its displayOptions. */
	property: INodeProperties;
	in: FieldLocation;
	/** The API's name for it, when it differs from the parameter's. */
	api?: string;
	convert?: Converter;
	/** For a collection: converters of its options, by option name. */
	optionConverters?: Record<string, Converter>;
	/** Send an empty text the user set, instead of leaving it out: how an update clears a value. */
	keepEmpty?: boolean;
	/**
	 * What an AI agent is told this input takes, when the model sets it (tool.ts); without it the
	 * parameter's description, which must then say nothing about the editor.
	 */
	toolHint?: string;
}

/** One node operation, usually one Datto API call. */
export interface OperationSpec {
	resource: string;
	/** The operation's parameter value. */
	value: string;
	/** Shown in the Operation dropdown, in n8n's words (Get, Get Many, Create, ...). */
	name: string;
	/** Sentence shown in the node's action list and to AI agents. */
	action: string;
	description: string;
	/** The spec's operationIds this operation calls (checked by the contract test). */
	operationIds: string[];
	method: IHttpRequestMethods;
	/** Path below /api, with `{name}` placeholders filled from `path` fields. */
	path: string;
	/**
	 * For operations whose endpoint depends on other parameters (scope account/site/device,
	 * open/resolved...): the first variant whose `when` values all match replaces `path`.
	 */
	variants?: PathVariant[];
	safety?: RequestSafety;
	/**
	 * Datto's name for the per-operation write budget this operation's writes count against
	 * (`device-udf-set`, ...); none: a write without a budget of its own, which counts against the
	 * account write budget only. A variant's `writeBudget` replaces it when the budget depends on
	 * a parameter (variables: account or site scope).
	 */
	writeBudget?: string;
	fields: FieldSpec[];
	/** A paged list: gets Return All and Limit, and one output item per entity. */
	list?: { key: string };
	/**
	 * Returns several items without being a paged list (MAC lookups, Find by Hostname, job
	 * output): as an AI tool it gets Max Results too, and its answer is bounded like a list's.
	 */
	several?: boolean;
	/** The operation's own entries in the node's Options collection, beside the common ones. */
	options?: INodeProperties[];
	/** Offers "Simplify": the few fields a person or an AI agent reads of each answer (simplify.ts). */
	simplify?: Simplifier;
	/** What a 404 is about, e.g. 'the device'. */
	notFound?: string;
	/** For operations that are more than one call (run a job and wait, find by hostname...). */
	run?: OperationRun;
	/**
	 * As an AI tool, instead of `run` or the plain request: a write that reads first, so its answer
	 * says what changed (operations/tool-writes.ts).
	 */
	toolRun?: OperationRun;
}

/** Entities, or entities with how many exist in all (a list cut short as an AI tool reads it). */
export type OperationRun = (ctx: DattoContext, itemIndex: number, request: BuiltRequest, options: RequestOptions) => Promise<IDataObject[] | Found>;

/** An operation's entities and, when known (Datto's count, or a whole bare array), how many exist in all. */
export interface Found {
	items: IDataObject[];
	total?: number;
	/** More may exist than these, however few they are (a search that read only part of what it searched). */
	more?: boolean;
}

export interface PathVariant {
	/** Parameter values that select this endpoint, e.g. `{ scope: 'site' }`. */
	when: Record<string, string>;
	path: string;
	operationId: string;
	/** The write budget of this endpoint, when it differs from the operation's (see OperationSpec). */
	writeBudget?: string;
}

export interface BuiltRequest {
	path: string;
	qs: IDataObject;
	body?: IDataObject;
	/** Path values by placeholder name, for hints and composite operations. */
	pathValues: Record<string, string>;
}

export interface ResourceSpec {
	value: string;
	name: string;
	description: string;
}
