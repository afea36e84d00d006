/** An XML element as the test reads it: name, attributes, child elements and its text. */
export type XmlElement = {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
};

const TOKEN =
  /<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)|(<)/g;
const ATTR = /([\w:.-]+)\s*=\s*"([^"]*)"/g;

/**
 * Parses a document strictly enough for a test to trust it: balanced tags, one root, no stray `<`
 * (throws otherwise). Not a general XML parser: no DTDs or single-quoted attributes.
 */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [{ name: '#document', attrs: {}, children: [], text: '' }];
  for (const m of source.matchAll(TOKEN)) {
    const top = stack[stack.length - 1]!;
    const [, cdata, closing, name, attrs, selfClosing, text, stray] = m;
    if (stray) throw new Error(`stray < at ${m.index}`);
    if (cdata !== undefined) top.text += cdata;
    else if (text !== undefined) {
      if (stack.length === 1 && text.trim() !== '') throw new Error('text outside the root element');
      top.text += text;
    } else if (name && closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else if (name) {
      const element: XmlElement = { name, attrs: {}, children: [], text: '' };
      for (const a of (attrs ?? '').matchAll(ATTR)) element.attrs[a[1]!] = a[2]!;
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  const roots = stack[0]!.children;
  if (roots.length !== 1) throw new Error(`expected one root element, found ${roots.length}`);
  return roots[0]!;
}

/** Every element below `root` (itself included) named `name`. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  return [...(root.name === name ? [root] : []), ...root.children.flatMap((c) => findAll(c, name))];
}
