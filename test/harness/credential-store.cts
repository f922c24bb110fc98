/**
 * The harness's stand-in for n8n's credentials table.
 *
 * n8n keeps each credential as one row (id, name, type, encrypted JSON data). Every read decrypts
 * and parses the row afresh, and every write (CredentialsHelper.updateCredentials, e.g. after
 * preAuthentication) replaces the whole data. The store mirrors that: data is kept as serialized
 * JSON, so a caller never holds a live reference into "the database", and each write is counted.
 * (n8n encrypts the JSON with the instance key; encryption adds nothing to these tests.)
 */
import { randomUUID } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	INodeCredentialsDetails,
} from 'n8n-workflow';
import { ICredentials, jsonParse } from 'n8n-workflow';

export const DATTO_CREDENTIAL_TYPE = 'dattoRmmApi';

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

interface Row {
	id: string;
	name: string;
	type: string;
	/** JSON text, as n8n's `credentials_entity.data` column holds it (there: encrypted). */
	data: string;
}

export interface CredentialWrite {
	id: string;
	type: string;
	/** Keys whose value changed in this write. */
	changed: string[];
}

export class CredentialNotFoundError extends Error {
	constructor(id: string | null | undefined, type: string) {
		super(`Credential with ID "${id ?? ''}" of type "${type}" does not exist.`);
		this.name = 'CredentialNotFoundError';
	}
}

export class TestCredentialStore {
	private readonly rows = new Map<string, Row>();

	/** Every write after creation (token stores by preAuthentication, edits), in order. */
	readonly writes: CredentialWrite[] = [];

	/** Adds a credential, as saving it in the editor would; returns what a node references. */
	add(
		data: ICredentialDataDecryptedObject,
		options: { id?: string; name?: string; type?: string } = {},
	): INodeCredentialsDetails & { id: string } {
		const id = options.id ?? randomUUID();
		const name = options.name ?? `Datto RMM account ${this.rows.size + 1}`;
		const type = options.type ?? DATTO_CREDENTIAL_TYPE;
		this.rows.set(id, { id, name, type, data: JSON.stringify(data) });
		return { id, name };
	}

	has(id: string | null | undefined): boolean {
		return id !== null && id !== undefined && this.rows.has(id);
	}

	/** A fresh copy of the row, as a DB read gives (n8n looks credentials up by id and type). */
	get(id: string | null | undefined, type?: string): StoredCredential {
		const row = id === null || id === undefined ? undefined : this.rows.get(id);
		if (!row || (type !== undefined && row.type !== type)) {
			throw new CredentialNotFoundError(id, type ?? '');
		}
		return { id: row.id, name: row.name, type: row.type, data: jsonParse(row.data) };
	}

	/** The stored data (a copy). */
	data(id: string): ICredentialDataDecryptedObject {
		return this.get(id).data;
	}

	/** Replaces a credential's data, as `CredentialsRepository.update` does. */
	write(id: string, type: string, data: ICredentialDataDecryptedObject): void {
		const before = this.get(id, type).data;
		const row = this.rows.get(id)!;
		row.data = JSON.stringify(data);
		const keys = new Set([...Object.keys(before), ...Object.keys(data)]);
		const changed = [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(data[k]));
		this.writes.push({ id, type, changed });
	}

	/** Number of writes (all credentials, or one). */
	updates(id?: string): number {
		return id === undefined ? this.writes.length : this.writes.filter((w) => w.id === id).length;
	}

	/** Number of writes that changed the credential's stored token (`accessToken`). */
	tokenStores(id?: string, field = 'accessToken'): number {
		return this.writes.filter((w) => (id === undefined || w.id === id) && w.changed.includes(field))
			.length;
	}

	/** Edits stored fields (like a user editing the credential); not counted as a write. */
	patch(id: string, changes: ICredentialDataDecryptedObject): void {
		const row = this.rows.get(id);
		if (!row) throw new CredentialNotFoundError(id, '');
		row.data = JSON.stringify({ ...jsonParse<ICredentialDataDecryptedObject>(row.data), ...changes });
	}
}

/**
 * n8n's `ICredentials` over a store row: what `CredentialsHelper.getCredentials` returns.
 * `getData` reads the row; `setData`/`updateData` change this object only, as in n8n (the helper
 * then saves `getDataToSave()`).
 */
export class StoredCredentials extends ICredentials {
	constructor(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: string,
	) {
		super(nodeCredentials, type, data);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		if (this.data === undefined) throw new Error('No data is set so nothing can be returned.');
		return jsonParse<ICredentialDataDecryptedObject>(this.data);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.data = JSON.stringify(data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const current = this.data === undefined ? {} : await this.getData();
		const next: ICredentialDataDecryptedObject = { ...current, ...(toUpdate as ICredentialDataDecryptedObject) };
		for (const key of toDelete) delete next[key];
		await this.setData(next);
	}
}
