/**
 * The operator mode's one decision, pure: the Deployment that runs a
 * DataflowProfile's engines, derived from the engine Deployment shipped in
 * deploy/engine (the template), so the manifest exists once. The template's
 * own profile is the template itself with `replicas = instanceCount`; every
 * other profile gets a copy named `<template>-<profile>`, selecting its own
 * pods and running with `WGS_PROFILE=<profile>`.
 */
import type { V1Deployment, V1EnvVar } from '@kubernetes/client-node';

export const MANAGED_BY = 'wgs-engine-operator';
export const PROFILE_LABEL = 'wgs.dev/profile';

export function templateProfile(template: V1Deployment): string {
  const env = template.spec?.template.spec?.containers[0]?.env ?? [];
  return env.find((e) => e.name === 'WGS_PROFILE')?.value ?? 'default';
}

export function profileDeployment(template: V1Deployment, profile: string, instanceCount: number): V1Deployment {
  const copy = structuredClone(template);
  const meta = copy.metadata ?? {};
  const base = { name: meta.name, namespace: meta.namespace, labels: meta.labels, annotations: meta.annotations };
  if (profile === templateProfile(template)) {
    return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: base, spec: { ...copy.spec!, replicas: instanceCount } };
  }
  const name = `${meta.name}-${profile}`;
  // Selector labels get the copy's own values, so the template's selector never matches the copy's pods
  // (Deployments with overlapping selectors fight over each other's ReplicaSets).
  const own = (labels: Record<string, string> | undefined) => ({
    ...Object.fromEntries(Object.entries(labels ?? {}).map(([k, v]) => [k, k in (copy.spec!.selector.matchLabels ?? {}) ? `${v}-${profile}` : v])),
    [PROFILE_LABEL]: profile,
  });
  const labels = { ...own(meta.labels), 'app.kubernetes.io/managed-by': MANAGED_BY };
  const spec = copy.spec!;
  spec.replicas = instanceCount;
  spec.template.metadata = { ...spec.template.metadata, labels: own(spec.template.metadata?.labels) };
  spec.selector = { ...spec.selector, matchLabels: own(spec.selector.matchLabels) };
  for (const c of spec.template.spec?.containers ?? []) {
    const env: V1EnvVar[] = (c.env ?? []).filter((e) => e.name !== 'WGS_PROFILE');
    c.env = [...env, { name: 'WGS_PROFILE', value: profile }];
  }
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: meta.namespace, labels, annotations: meta.annotations }, spec };
}

/** Whether the cluster's Deployment differs from the desired one in what the operator sets. */
export function needsUpdate(current: V1Deployment, desired: V1Deployment): boolean {
  const pick = (d: V1Deployment) => JSON.stringify([
    d.spec?.replicas,
    d.spec?.template.spec?.containers.map((c) => [c.image, c.env?.find((e) => e.name === 'WGS_PROFILE')?.value]),
  ]);
  return pick(current) !== pick(desired);
}
