// Console entry point. The wizard, cluster and node pages arrive with the console issue;
// until then this only proves the workspace builds against the shared domain schema.
import { renderProblem, validateClusterSpec } from '../../src/domain/index.js';

const root = document.getElementById('root');
if (root) {
  const result = validateClusterSpec({ name: '' });
  root.textContent = result.problems.map((p) => renderProblem(p, 'zh-CN')).join('\n');
}
