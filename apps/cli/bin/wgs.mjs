#!/usr/bin/env node
/**
 * `wgs` as precompiled JavaScript (see scripts/precompiled-launch.mjs): no
 * tsx loader thread in the process. `WGS_CLI_BUNDLE=off` runs src/main.ts
 * through tsx instead.
 */
import { fileURLToPath, URL } from 'node:url';
import { launchPrecompiled } from '../../../scripts/precompiled-launch.mjs';

await launchPrecompiled({ main: fileURLToPath(new URL('../src/main.ts', import.meta.url)), name: 'cli', offVariable: 'WGS_CLI_BUNDLE' });
