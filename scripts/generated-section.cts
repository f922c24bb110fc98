/**
 * Generated parts of Markdown files: the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
 * The scripts that write them (readme-operations.cts, bench-docs.cts) and the tests that check them
 * read and replace them here, so the markers mean the same in every file.
 */
const start = (name: string) => `<!-- ${name}:start -->`;
const end = (name: string) => `<!-- ${name}:end -->`;

/** The generated part called `name`, trimmed; undefined when the file has no such markers. */
export function readSection(text: string, name: string): string | undefined {
	const from = text.indexOf(start(name));
	const to = text.indexOf(end(name));
	return from < 0 || to < from ? undefined : text.slice(from + start(name).length, to).trim();
}

/** `text` with the part called `name` replaced by `body`; an error when its markers are missing. */
export function writeSection(text: string, name: string, body: string, file: string): string {
	const from = text.indexOf(start(name));
	const to = text.indexOf(end(name));
	if (from < 0 || to < from) throw new Error(`${file} has no ${start(name)} … ${end(name)} markers`);
	return `${text.slice(0, from + start(name).length)}\n${body.trim()}\n${text.slice(to)}`;
}

/** The names of every generated part in `text` whose name starts with `prefix`. */
export function sectionNames(text: string, prefix: string): string[] {
	return [...text.matchAll(/<!-- ([\w:-]+):start -->/g)].map((m) => m[1]).filter((name) => name.startsWith(prefix));
}

/** `text` without its generated parts (the markers stay), for checks of what is written by hand. */
export function withoutSections(text: string): string {
	return text.replace(/(<!-- ([\w:-]+):start -->)[\s\S]*?(<!-- \2:end -->)/g, '$1$3');
}
