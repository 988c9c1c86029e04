// Prints a plan for humans (the dry-run of M66): one line per step in dependency order, with
// its stage, what it waits for and its typical duration, then the critical path.
import type { Input, PlanStep, ResourceGraph } from './graph.js';
import { criticalPath, isRef, topologicalOrder } from './graph.js';

function brief(input: Input): string {
  if (input === null) return '-';
  if (typeof input !== 'object') return String(input);
  if (isRef(input)) return `<${input.$ref}.${input.output}>`;
  if ('$secret' in input) return '******';
  if (Array.isArray(input)) return `[${(input as readonly Input[]).map(brief).join(', ')}]`;
  return '{…}';
}

const SHOWN_INPUTS = ['cidr', 'zoneId', 'port', 'instanceTypes', 'type', 'spec', 'name'];

function describe(step: PlanStep): string {
  return SHOWN_INPUTS.filter((k) => step.inputs[k] !== undefined)
    .map((k) => `${k}=${brief(step.inputs[k] ?? null)}`)
    .join(' ');
}

export function formatPlan(graph: ResourceGraph): string {
  const order = topologicalOrder(graph) ?? [...graph.steps];
  const width = Math.max(...order.map((s) => s.key.length), 4);
  const lines = [`Plan for ${graph.clusterId}: ${order.length} steps`];
  order.forEach((s, i) => {
    const waits = s.dependsOn.length > 0 ? ` after ${s.dependsOn.join(', ')}` : '';
    lines.push(
      `${String(i + 1).padStart(3)}  ${s.stage.padEnd(13)} ${s.key.padEnd(width)} ~${String(s.estimatedSeconds).padStart(3)}s  ${describe(s)}${waits}`,
    );
  });
  const path = criticalPath(graph);
  lines.push(
    `Critical path ~${Math.round(path.seconds / 60)} min (${path.seconds}s): ${path.keys.join(' → ')}`,
  );
  return lines.join('\n');
}
