/**
 * Every relative link in the repository's Markdown files reaches a file, and a heading there when
 * it names one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** The repository's Markdown files, outside dependencies, build output and hidden folders. */
function markdownFiles(dir = ROOT): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name.startsWith('.') || ['node_modules', 'dist'].includes(entry.name) ? [] : markdownFiles(full);
		return entry.name.endsWith('.md') ? [full] : [];
	});
}

/** Markdown without fenced code blocks, where `#` starts no heading. */
const withoutFences = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');
/** ... and without code spans, where link-like text is not a link. */
const prose = (text: string) => withoutFences(text).replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');

function anchors(file: string): Set<string> {
	const headings = [...withoutFences(fs.readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]));
	const seen = new Map<string, number>();
	return new Set(
		headings.map((slug) => {
			const n = seen.get(slug) ?? 0;
			seen.set(slug, n + 1);
			return n ? `${slug}-${n}` : slug;
		}),
	);
}

test('every relative link in the Markdown files reaches an existing file, and an existing heading', () => {
	const broken: string[] = [];
	for (const file of markdownFiles()) {
		for (const [, target] of prose(fs.readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
			if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
			const [relative, hash] = target.split('#');
			const linked = relative ? path.resolve(path.dirname(file), relative) : file;
			const where = `${path.relative(ROOT, file)} → ${target}`;
			if (!fs.existsSync(linked)) broken.push(`${where}: no such file`);
			else if (hash !== undefined && linked.endsWith('.md') && !anchors(linked).has(hash)) broken.push(`${where}: no such heading`);
		}
	}
	expect(broken).toEqual([]);
});
