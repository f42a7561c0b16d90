/**
 * Reads HTML for the page tests with workerd's HTMLRewriter (a real HTML parser), so that a test asks about
 * elements, attributes and text picked by CSS selector, not about how the markup happens to be spelled.
 */

export interface HtmlElement {
  /** Lower-case tag name. */
  tag: string;
  /** Its attributes, entity-decoded, by lower-case name (as HTML parses them: `viewBox` is `viewbox`). */
  attrs: Record<string, string>;
  /** All the text inside it (its descendants' too), entity-decoded: what the browser shows, before CSS. */
  text: string;
  /** Its position in document order among all the elements, to compare where two elements are. */
  index: number;
  /** Its classes. */
  classes: string[];
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  middot: '\u00b7',
};

/** HTMLRewriter hands over text and attribute values as written; the browser decodes these references. */
export function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (_whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref.toLowerCase()];
    if (named === undefined) throw new Error(`decodeEntities: add &${ref}; to NAMED`);
    return named;
  });
}

interface Node {
  element: HtmlElement;
  chunks: string[];
}

/** The elements of `html` that match `selector` (as HTMLRewriter's selectors understand it), in document order. */
export async function select(html: string, selector: string): Promise<HtmlElement[]> {
  const nodes: Node[] = [];
  const open = new Set<Node>();
  const matched: number[] = [];
  const rewriter = new HTMLRewriter()
    // Registered first, so it has seen each element before the selector's handler below is called for it.
    .on('*', {
      element(el) {
        const attrs = Object.fromEntries([...el.attributes].map(([name, value]) => [name!, decodeEntities(value!)]));
        const classes = (attrs.class ?? '').split(/\s+/).filter(Boolean);
        const element = { tag: el.tagName, attrs, text: '', index: nodes.length, classes };
        const node = { element, chunks: [] };
        nodes.push(node);
        try {
          el.onEndTag(() => void open.delete(node));
          open.add(node);
        } catch {
          // A void element (<input>, <meta>) or a self-closing SVG one: it holds no text.
        }
      },
    })
    .on(selector, {
      element(el) {
        const node = nodes.at(-1)!;
        if (node.element.tag !== el.tagName) throw new Error(`select: handlers out of order at <${el.tagName}>`);
        matched.push(node.element.index);
      },
    })
    .onDocument({
      text(chunk) {
        for (const node of open) node.chunks.push(chunk.text);
      },
    });
  await rewriter.transform(new Response(html)).text();
  return matched.map((i) => {
    const node = nodes[i]!;
    return { ...node.element, text: decodeEntities(node.chunks.join('')) };
  });
}

/** The one element of `html` that matches `selector`; throws unless there is exactly one. */
export async function selectOne(html: string, selector: string): Promise<HtmlElement> {
  const found = await select(html, selector);
  if (found.length !== 1) throw new Error(`selectOne: ${found.length} elements match ${JSON.stringify(selector)}`);
  return found[0]!;
}
