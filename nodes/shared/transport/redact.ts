/**
 * Masking of the API secret and the token in everything we produce. A server may echo them back
 * in any encoding (a token endpoint echoing its form body, an error page quoting the
 * Authorization header), so every form they can travel in is masked, not only the raw text.
 */

export const MASK = '***';

/** Shorter values are not masked: they would garble ordinary words. */
const MIN_SECRET_LENGTH = 4;

function hexLower(text: string): string {
	return text.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
}

/** The forms a secret can come back in: raw, URL-encoded (both hex cases, spaces as %20 or +), JSON-escaped, base64. */
export function secretForms(secret: string): string[] {
	if (secret.length < MIN_SECRET_LENGTH) return [];
	const uri = encodeURIComponent(secret);
	const form = new URLSearchParams({ s: secret }).toString().slice(2);
	const json = JSON.stringify(secret).slice(1, -1);
	const jsonAscii = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	const base64 = Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, '');
	const forms = [secret, uri, hexLower(uri), uri.replace(/%20/g, '+'), hexLower(uri).replace(/%20/g, '+'), form, hexLower(form), json, jsonAscii, base64];
	// Longest first, so a form that contains another is masked whole.
	return [...new Set(forms)].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Whether `text` carries any form of the secrets (cheap: one substring search per form). */
export function containsSecret(text: string, forms: string[]): boolean {
	return forms.some((f) => text.includes(f));
}

/** `text` with every form of the secrets replaced by the mask. */
export function redact(text: string, forms: string[]): string {
	let out = text;
	for (const f of forms) if (out.includes(f)) out = out.split(f).join(MASK);
	return out;
}

/** The forms of several secrets together. */
export function formsOf(secrets: Array<string | undefined>): string[] {
	const all = secrets.flatMap((s) => (typeof s === 'string' ? secretForms(s) : []));
	return [...new Set(all)].sort((a, b) => b.length - a.length);
}
