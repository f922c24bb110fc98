import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getPageSize } from '../transport/pagination';
import { dattoRequest } from '../transport/request';

interface Page {
	pageDetails?: { nextPageUrl?: string | null };
	[key: string]: unknown;
}

/** One page of a Datto list for a picker; the page number is n8n's pagination token. */
async function searchPage(
	ctx: ILoadOptionsFunctions,
	path: string,
	key: string,
	qs: IDataObject,
	token: string | undefined,
): Promise<{ entries: IDataObject[]; next?: string }> {
	const page = Number(token ?? 0);
	const max = await getPageSize(ctx);
	const answer = await dattoRequest<Page>(ctx, { method: 'GET', path, qs: { ...qs, max, page } }, { retry: { maxRetries: 2 } });
	const entries = Array.isArray(answer?.[key]) ? (answer[key] as IDataObject[]) : [];
	return { entries, next: answer?.pageDetails?.nextPageUrl ? String(page + 1) : undefined };
}

function contains(text: unknown, filter?: string): boolean {
	return !filter || String(text ?? '').toLowerCase().includes(filter.toLowerCase());
}

export async function searchSites(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	const { entries, next } = await searchPage(this, '/v2/account/sites', 'sites', filter ? { siteName: filter } : {}, token);
	return {
		results: entries.map((s) => ({ name: String(s.name), value: String(s.uid), description: s.description ? String(s.description) : undefined })),
		paginationToken: next,
	};
}

function deviceResult(d: IDataObject): INodeListSearchResult['results'][number] {
	return {
		name: `${d.hostname}${d.siteName ? ` (${d.siteName})` : ''}`,
		value: String(d.uid),
		description: [d.operatingSystem, d.online === true ? 'online' : d.online === false ? 'offline' : undefined]
			.filter(Boolean)
			.join(', '),
	};
}

/**
 * Devices are shown as "HOSTNAME (Site)", so a search finds both: first the devices whose hostname
 * contains the text (token "h:N"), then those of sites whose name contains it ("s:N"), leaving out
 * the ones the hostname pages already listed. The last hostname page and the first site page come
 * in one answer: the editor shows "No results" for an empty page, whatever its token says.
 */
export async function searchDevices(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	if (!filter) {
		const { entries, next } = await searchPage(this, '/v2/account/devices', 'devices', {}, token);
		return { results: entries.map(deviceResult), paginationToken: next };
	}
	const [kind, page] = (token ?? 'h:0').split(':');
	const results: INodeListSearchResult['results'] = [];
	if (kind === 'h') {
		const byHostname = await searchPage(this, '/v2/account/devices', 'devices', { hostname: filter }, page);
		results.push(...byHostname.entries.map(deviceResult));
		if (byHostname.next) return { results, paginationToken: `h:${byHostname.next}` };
	}
	const bySite = await searchPage(this, '/v2/account/devices', 'devices', { siteName: filter }, kind === 's' ? page : undefined);
	results.push(...bySite.entries.filter((d) => !contains(d.hostname, filter)).map(deviceResult));
	return { results, paginationToken: bySite.next ? `s:${bySite.next}` : undefined };
}

/**
 * Components: name, then category and the start of the UID in brackets, because accounts often
 * hold several components of one name (two "Clear Temp Files") that only these tell apart.
 */
export async function searchComponents(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	// The components list takes no name filter: filter this page here.
	const { entries, next } = await searchPage(this, '/v2/account/components', 'components', {}, token);
	return {
		results: entries
			.filter((c) => contains(c.name, filter) || contains(c.categoryCode, filter))
			.map((c) => ({
				name: `${c.name} [${[c.categoryCode, String(c.uid).slice(0, 8)].filter(Boolean).join(', ')}]`,
				value: String(c.uid),
				description: c.description ? String(c.description) : undefined,
			})),
		paginationToken: next,
	};
}

export async function searchFilters(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	// Token "d:N" walks default filters, then "c:N" custom ones.
	const [kind, page] = (token ?? 'd:0').split(':');
	const path = kind === 'd' ? '/v2/filter/default-filters' : '/v2/filter/custom-filters';
	const { entries, next } = await searchPage(this, path, 'filters', {}, page);
	const nextToken = next ? `${kind}:${next}` : kind === 'd' ? 'c:0' : undefined;
	return {
		results: entries
			.filter((f) => contains(f.name, filter))
			.map((f) => ({ name: `${f.name}${kind === 'd' ? ' (default)' : ''}`, value: String(f.id), description: f.description ? String(f.description) : undefined })),
		paginationToken: nextToken,
	};
}

export const listSearch = { searchSites, searchDevices, searchComponents, searchFilters };
