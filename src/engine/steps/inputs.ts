// Typed reads of structured step inputs (objects, lists, numbers, booleans) that fail loudly on a
// plan/handler mismatch, like `str` in types.ts: a wrong shape here is a bug, never user input.
import type { Json, StepContext } from './types.js';

export type JsonObject = { readonly [key: string]: Json };

function mismatch(ctx: StepContext, name: string, what: string): Error {
  return new Error(`step ${ctx.step.key}: input ${name} is not ${what}`);
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(ctx: StepContext, name: string): JsonObject {
  const v = ctx.inputs[name];
  if (!isObject(v)) throw mismatch(ctx, name, 'an object');
  return v;
}

/** An object input the plan may leave null (e.g. `podSubnet` without Flannel). */
export function optObj(ctx: StepContext, name: string): JsonObject | null {
  const v = ctx.inputs[name];
  if (v === null || v === undefined) return null;
  if (!isObject(v)) throw mismatch(ctx, name, 'an object or null');
  return v;
}

export function list(ctx: StepContext, name: string): readonly Json[] {
  const v = ctx.inputs[name];
  if (!Array.isArray(v)) throw mismatch(ctx, name, 'a list');
  return v;
}

export function strings(ctx: StepContext, name: string): string[] {
  const v = list(ctx, name);
  if (!v.every((x): x is string => typeof x === 'string')) throw mismatch(ctx, name, 'a list of strings');
  return [...v];
}

export function num(ctx: StepContext, name: string): number {
  const v = ctx.inputs[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw mismatch(ctx, name, 'a number');
  return v;
}

export function bool(ctx: StepContext, name: string): boolean {
  const v = ctx.inputs[name];
  if (typeof v !== 'boolean') throw mismatch(ctx, name, 'a boolean');
  return v;
}

/** Fields of an object input (`where` names it in the error), checked like the top-level accessors. */
export function fieldStr(ctx: StepContext, o: JsonObject, where: string, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw mismatch(ctx, `${where}.${key}`, 'a string');
  return v;
}

export function fieldNum(ctx: StepContext, o: JsonObject, where: string, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw mismatch(ctx, `${where}.${key}`, 'a number');
  return v;
}

export function fieldBool(ctx: StepContext, o: JsonObject, where: string, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw mismatch(ctx, `${where}.${key}`, 'a boolean');
  return v;
}

/** A string field that may be null or absent. */
export function optField(o: JsonObject, name: string): string | null {
  const v = o[name];
  return typeof v === 'string' && v !== '' ? v : null;
}
