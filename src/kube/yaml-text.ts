// YAML text for rendered artefacts: one stable style (YAML 1.1 quoting, so `on`, `yes` and `0600`
// stay strings for cloud-init's PyYAML and Go's YAML readers), no line folding, `---` between documents.
import { stringify } from 'yaml';

/** One YAML document, ending in a newline. Same input, same bytes. */
export function toYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, minContentWidth: 0, indent: 2 });
}

/** Several documents, each introduced by `---`, as `kubectl apply -f` reads them. */
export function toMultiDocumentYaml(values: readonly unknown[]): string {
  return values.map((v) => `---\n${toYaml(v)}`).join('');
}
