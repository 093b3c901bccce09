#!/usr/bin/env node
/**
 * The designer's server as precompiled JavaScript (see
 * scripts/precompiled-launch.mjs): no tsx loader thread in the process,
 * which is most of the distance to an idle server under 120 MiB.
 * `WGS_SERVER_BUNDLE=off` runs src/main.ts through tsx instead.
 */
import { fileURLToPath, URL } from 'node:url';
import { launchPrecompiled } from '../../../scripts/precompiled-launch.mjs';

await launchPrecompiled({ main: fileURLToPath(new URL('../src/main.ts', import.meta.url)), name: 'server', offVariable: 'WGS_SERVER_BUNDLE' });
