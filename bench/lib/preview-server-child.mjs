/**
 * Starts preview-server-child.ts the way `pnpm start` starts the server:
 * precompiled (scripts/precompiled-launch.mjs), no tsx loader thread, so the
 * idle server's memory is what a user's server has. `WGS_SERVER_BUNDLE=off`
 * measures it through tsx instead.
 */
import { fileURLToPath, URL } from 'node:url';
import { launchPrecompiled } from '../../scripts/precompiled-launch.mjs';

await launchPrecompiled({ main: fileURLToPath(new URL('./preview-server-child.ts', import.meta.url)), name: 'bench-server', offVariable: 'WGS_SERVER_BUNDLE' });
