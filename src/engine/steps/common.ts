// Patterns every cloud step shares: create once and record the id at once, wait for a state,
// release by id and wait until the resource is gone, treat "already gone" as done.
import { CloudError } from '../../cloud/errors.js';
import { OWNER_CLUSTER_TAG } from '../../cloud/provider.js';
import { KuberackError } from '../../domain/errors.js';
import { done, recorded, waiting, type Json, type StepContext, type StepOutcome } from './types.js';

export function isCategory(e: unknown, category: CloudError['category']): boolean {
  return e instanceof CloudError && e.category === category;
}

/** Runs a delete; a `not-found` answer means it is already gone. */
export async function deleteIgnoringGone(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (e) {
    if (!isCategory(e, 'not-found')) throw e;
  }
}

/** The recorded id, or the id of a new resource, recorded before anything else happens. */
export async function createOnce(
  ctx: StepContext,
  create: () => Promise<{ id: string }>,
  key = 'id',
): Promise<string> {
  const id = recorded(ctx, key);
  if (id) return id;
  const made = await create();
  await ctx.save({ [key]: made.id });
  return made.id;
}

/** A resource the step created and recorded is missing: someone deleted it outside Kuberack. */
export function vanished(ctx: StepContext, id: string): KuberackError {
  return new KuberackError('ENGINE_RESOURCE_VANISHED', { step: ctx.step.key, id });
}

/** Waits until `read` shows `status`, then finishes with `outputs(resource)`. */
export async function readyWhen<T extends { status: string }>(
  ctx: StepContext,
  id: string,
  read: (id: string) => Promise<T | null>,
  status: string,
  outputs: (resource: T) => Record<string, Json>,
): Promise<StepOutcome> {
  const r = await read(id);
  if (!r) throw vanished(ctx, id);
  if (r.status !== status) return waiting(`${ctx.step.key} is ${r.status}`);
  return done(outputs(r));
}

/**
 * Releases the recorded resource: done when it is gone (or was never recorded: the sweep by owner tag
 * finds anything created but not recorded), waiting while the cloud is deleting it.
 */
export async function releaseRecorded<T extends { status?: string }>(
  ctx: StepContext,
  read: (id: string) => Promise<T | null>,
  remove: (id: string) => Promise<unknown>,
  key = 'id',
): Promise<StepOutcome> {
  const id = recorded(ctx, key);
  if (!id) return done();
  const r = await read(id);
  if (!r) return done();
  if (r.status !== 'Deleting' && r.status !== 'Releasing') await deleteIgnoringGone(() => remove(id));
  return (await read(id)) ? waiting(`${ctx.step.key} is being deleted`) : done();
}

/** True when the tags carry this cluster's owner tag: the resource is one this cluster created. */
export function ownedBy(tags: readonly { key: string; value: string }[], clusterId: string): boolean {
  return tags.some((t) => t.key === OWNER_CLUSTER_TAG && t.value === clusterId);
}
