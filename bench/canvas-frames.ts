/**
 * Canvas frame times in the real designer (built web app served by the real
 * server), driven in Debian's Chromium by Playwright.
 *
 *  (1) panning: the mouse drags the canvas back and forth for PAN_MS while the
 *      page records the time between animation frames (requestAnimationFrame).
 *      Baseline: a 5-operation graph; measured: a 500-operation graph
 *      definition (sample modules only, so it validates), at the zoom the
 *      designer fits it to.
 *  (2) streaming: the simple graph's live preview on bench/flood while an
 *      mqtt.js publisher floods that topic at FLOOD_RATE msg/s (QoS 0), the map
 *      selected so the panel shows its samples. Frames are recorded with the
 *      page idle, then while panning. Baselines: the same page idle without a
 *      preview, and the panning baseline of (1). The publish rate achieved and
 *      the rate the preview counted at the source are reported too.
 *
 * Long frames are those over 50 ms. Nothing is asserted on time.
 * Run alone: pnpm bench canvas (or pnpm exec tsx bench/canvas-frames.ts)
 */
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Page } from '@playwright/test';
import { parseGraphDefinition } from '../packages/graph-model/src/index.ts';
import { startBroker } from './lib/broker.ts';
import { laneGraph } from './lib/big-graph.ts';
import { ensureWebBuild, startDesignerServer } from './lib/designer-server.ts';
import { connectClient, type Client } from './lib/mqtt-client.ts';
import { checkRegistry, findMosquitto, GRAPH_FILE, PreflightError } from './lib/preflight.ts';
import { fmt, fmtInt, isMain, percentile, ratio, sleep, summaryTable, table, type SummaryRow } from './lib/stats.ts';
import { SAMPLE_JSON } from './lib/temperature.ts';

const CHROMIUM = process.env.WGS_CHROMIUM ?? '/usr/bin/chromium';
const BIG = Math.max(4, Number(process.env.BENCH_CANVAS_OPERATIONS ?? 500));
const LANES = 12;
const PAN_MS = Number(process.env.BENCH_CANVAS_PAN_MS ?? 4000);
const REPS = Math.max(1, Number(process.env.BENCH_CANVAS_REPS ?? 2));
const IDLE_MS = 4000;
const FLOOD_RATE = Math.max(1, Number(process.env.BENCH_CANVAS_RATE ?? 10_000));
const FLOOD_TOPIC = 'bench/flood';
const LONG_FRAME_MS = 50;
/** Mouse moves while panning are about this far apart (a real mouse reports at 60–1000 Hz). */
const MOVE_EVERY_MS = 8;
const PAN_AMPLITUDE = 250;

interface FrameStats {
  label: string;
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  long: number;
  /** Main-thread tasks over 50 ms (PerformanceObserver "longtask"). */
  longTasks: number;
}

interface Recording {
  frames: number[];
  longTasks: number;
}

function stats(label: string, deltas: number[], longTasks: number): FrameStats {
  const s = [...deltas].sort((a, b) => a - b);
  return { label, frames: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN, long: s.filter((d) => d > LONG_FRAME_MS).length, longTasks };
}

/*
 * The in-page recorder, as source text: functions passed to page.evaluate are
 * serialised, and tsx's name-keeping helper (__name) does not exist in the page.
 */
const START_RECORDING = `(() => {
  const rec = { frames: [], on: true, longTasks: 0, observer: undefined };
  try {
    rec.observer = new PerformanceObserver((list) => { rec.longTasks += list.getEntries().length; });
    rec.observer.observe({ type: 'longtask' });
  } catch {}
  let last;
  const frame = (t) => {
    if (last !== undefined) rec.frames.push(t - last);
    last = t;
    if (rec.on) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  window.benchRec = rec;
})()`;
const STOP_RECORDING = `(() => {
  const rec = window.benchRec;
  rec.on = false;
  if (rec.observer) rec.observer.disconnect();
  return { frames: rec.frames, longTasks: rec.longTasks };
})()`;

/** Starts recording frame intervals (and long tasks) in the page. */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(START_RECORDING);
}

async function stopRecording(page: Page): Promise<Recording> {
  return (await page.evaluate(STOP_RECORDING)) as Recording;
}

/** A point of the canvas pane with no node or edge under it, to start a drag that pans. */
async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
  const p = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow__pane');
    if (!pane) return undefined;
    const r = pane.getBoundingClientRect();
    for (let fy = 0.5; fy < 0.95; fy += 0.05) {
      for (const fx of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
        const x = r.left + r.width * fx;
        const y = r.top + r.height * fy;
        if (document.elementFromPoint(x, y) === pane) return { x, y };
      }
    }
    return undefined;
  });
  if (!p) throw new Error('no empty spot on the canvas to pan from');
  return p;
}

/** Drags the canvas left and right (a sine) for PAN_MS and returns the frame intervals meanwhile. */
async function pan(page: Page): Promise<Recording> {
  const start = await emptyPanePoint(page);
  await page.mouse.move(start.x, start.y);
  await startRecording(page);
  await page.mouse.down();
  const t0 = performance.now();
  let next = t0;
  for (;;) {
    const t = performance.now() - t0;
    if (t > PAN_MS) break;
    const phase = (t / 2000) * 2 * Math.PI;
    await page.mouse.move(start.x + PAN_AMPLITUDE * Math.sin(phase), start.y + (PAN_AMPLITUDE / 3) * Math.sin(phase / 2));
    next += MOVE_EVERY_MS;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await page.mouse.up();
  return stopRecording(page);
}

async function idle(page: Page, label: string): Promise<FrameStats> {
  await startRecording(page);
  await sleep(IDLE_MS);
  const r = await stopRecording(page);
  return stats(label, r.frames, r.longTasks);
}

/** Opens a definition through the designer's store (window.wgs), waits for its nodes and the fitted view. */
async function openDefinition(page: Page, title: string, yaml: string, operations: number): Promise<number> {
  const t0 = performance.now();
  await page.evaluate(async ([t, y]) => {
    const wgs = (window as unknown as { wgs: { designer: { getState(): { open(title: string, yaml: string): Promise<void> } } } }).wgs;
    await wgs.designer.getState().open(t!, y!);
  }, [title, yaml]);
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length === n, operations, { timeout: 120_000 });
  const ms = performance.now() - t0;
  // fitView runs on the next frame; let the page settle before measuring.
  await sleep(1500);
  return ms;
}

/** Figures over all frames of the repetitions together. */
function pooled(label: string, runs: Recording[]): FrameStats {
  return stats(label, runs.flatMap((r) => r.frames), runs.reduce((n, r) => n + r.longTasks, 0));
}

/** Publishes SAMPLE_JSON to FLOOD_TOPIC at FLOOD_RATE (QoS 0) until stopped; resolves with what was sent and for how long. */
function flood(client: Client): { stop(): Promise<{ sent: number; seconds: number }> } {
  const payload = Buffer.from(SAMPLE_JSON);
  let sent = 0;
  let written = 0;
  let running = true;
  const t0 = performance.now();
  const loop = (async () => {
    while (running) {
      const due = Math.floor(((performance.now() - t0) / 1000) * FLOOD_RATE);
      // Bounded: at most 500 unwritten messages in mqtt.js (each waits on the socket with a listener).
      while (sent < due && sent - written < 500) {
        sent++;
        client.publish(FLOOD_TOPIC, payload, { qos: 0 }, () => void written++);
      }
      await sleep(5);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { sent, seconds: (performance.now() - t0) / 1000 };
    },
  };
}

async function sourceCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const wgs = (window as unknown as { wgs: { preview: { getState(): { counters: Record<string, { in: number }> } } } }).wgs;
    return wgs.preview.getState().counters.source?.in ?? 0;
  });
}

export async function runCanvasBench(): Promise<SummaryRow[]> {
  findMosquitto();
  await checkRegistry();
  if (!existsSync(CHROMIUM)) throw new PreflightError(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set WGS_CHROMIUM)`);
  const bigYaml = laneGraph(BIG, LANES, `bench-${BIG}`);
  const smallYaml = laneGraph(5, 2, 'bench-5');
  for (const [n, y] of [[BIG, bigYaml], [5, smallYaml]] as const) {
    const { graph, diagnostics } = parseGraphDefinition(y);
    if (!graph || graph.operations.length !== n) throw new Error(`the generated ${n}-operation graph does not validate: ${diagnostics.map((d) => d.message).join('; ')}`);
  }
  const simpleYaml = readFileSync(GRAPH_FILE, 'utf8');
  ensureWebBuild();

  console.log(`== canvas: frame times in Chromium while panning ${BIG} vs 5 operations, and while the preview streams ${fmtInt(FLOOD_RATE)} msg/s ==`);
  const broker = await startBroker();
  const server = await startDesignerServer(broker.url).catch(async (e: Error) => {
    await broker.stop();
    throw e;
  });
  // Loaded here, so the other benchmarks do not pay for Playwright.
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  let publisher: Client | undefined;
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${server.url}/?token=${server.token}#/definition`);
    await page.waitForFunction(() => 'wgs' in window);
    const nav = page.getByTestId('nav-definition');
    if (await nav.count()) await nav.click();
    await page.getByTestId('canvas').waitFor();

    // (1) panning
    await openDefinition(page, 'bench-5', smallYaml, 5);
    const smallRuns: Recording[] = [];
    for (let i = 0; i < REPS; i++) smallRuns.push(await pan(page));
    const openBigMs = await openDefinition(page, `bench-${BIG}`, bigYaml, BIG);
    const bigRuns: Recording[] = [];
    for (let i = 0; i < REPS; i++) bigRuns.push(await pan(page));
    const zoom = await page.evaluate(() => document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '');

    // (2) streaming
    await openDefinition(page, 'graph-simple', simpleYaml, 3);
    const idleBase = await idle(page, 'idle, no preview');
    await page.evaluate(([token, topic]) => {
      const wgs = (window as unknown as { wgs: { preview: { getState(): { start(url: string, graph: string, o: { sources: string[] }): void } }; designer: { getState(): { yaml: string; select(id: string): void } } } }).wgs;
      const url = `${location.origin.replace(/^http/, 'ws')}/api/preview?token=${encodeURIComponent(token!)}`;
      wgs.preview.getState().start(url, wgs.designer.getState().yaml, { sources: [topic!] });
      wgs.designer.getState().select('module-temperature/map');
    }, [server.token, FLOOD_TOPIC]);
    await page.waitForFunction(() => (window as unknown as { wgs: { preview: { getState(): { status: string } } } }).wgs.preview.getState().status === 'running', undefined, { timeout: 60_000 });
    ({ client: publisher } = await connectClient(broker.url, `wgs-bench-canvas-${process.pid}`));
    const before = await sourceCount(page);
    const t0 = performance.now();
    const publishing = flood(publisher);
    await sleep(1000); // the stream reaches a steady state
    const streamIdle = await idle(page, `idle, preview at ${fmtInt(FLOOD_RATE)}/s`);
    const streamPan = pooled(`pan, preview at ${fmtInt(FLOOD_RATE)}/s`, [await pan(page)]);
    const { sent, seconds } = await publishing.stop();
    const counted = (await sourceCount(page)) - before;
    const countedSeconds = (performance.now() - t0) / 1000;
    const samplesShown = await page.getByTestId('preview-sample').count();

    const small = pooled('pan 5 ops (baseline)', smallRuns);
    const big = pooled(`pan ${BIG} ops`, bigRuns);
    const head = ['scenario', 'frames', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', `>${LONG_FRAME_MS} ms`, 'long tasks', 'p95 ratio'];
    const line = (s: FrameStats, base: FrameStats) => [s.label, fmtInt(s.frames), fmt(s.p50), fmt(s.p95), fmt(s.p99), fmt(s.max), fmtInt(s.long), fmtInt(s.longTasks), s === base ? '-' : ratio(s.p95, base.p95)];
    console.log(table([head, line(small, small), line(big, small), line(idleBase, idleBase), line(streamIdle, idleBase), line(streamPan, small)]));
    console.log(`opening ${BIG} operations (parse, elk layout, first render): ${fmtInt(openBigMs)} ms; viewport after fit: ${zoom}`);
    console.log(`flood: ${fmtInt(sent)} messages in ${fmt(seconds)} s = ${fmtInt(sent / seconds)} msg/s published (target ${fmtInt(FLOOD_RATE)}); preview counted ${fmtInt(counted)} at the source = ${fmtInt(counted / countedSeconds)} msg/s; ${samplesShown} samples in the panel\n`);

    return [
      { bench: 'canvas', metric: `pan ${BIG} ops: frame p50 ms`, value: fmt(big.p50), baseline: fmt(small.p50), ratio: ratio(big.p50, small.p50) },
      { bench: 'canvas', metric: `pan ${BIG} ops: frame p95 ms`, value: fmt(big.p95), baseline: fmt(small.p95), ratio: ratio(big.p95, small.p95) },
      { bench: 'canvas', metric: `pan ${BIG} ops: frame p99 ms`, value: fmt(big.p99), baseline: fmt(small.p99), ratio: ratio(big.p99, small.p99) },
      { bench: 'canvas', metric: `pan ${BIG} ops: frames > ${LONG_FRAME_MS} ms`, value: `${big.long}/${big.frames}`, baseline: `${small.long}/${small.frames}`, ratio: '-' },
      { bench: 'canvas', metric: 'preview streaming, idle page: frame p95 ms', value: fmt(streamIdle.p95), baseline: fmt(idleBase.p95), ratio: ratio(streamIdle.p95, idleBase.p95) },
      { bench: 'canvas', metric: 'preview streaming, idle page: frames > 50 ms', value: `${streamIdle.long}/${streamIdle.frames}`, baseline: `${idleBase.long}/${idleBase.frames}`, ratio: '-' },
      { bench: 'canvas', metric: 'preview streaming, panning: frame p95 ms', value: fmt(streamPan.p95), baseline: fmt(small.p95), ratio: ratio(streamPan.p95, small.p95) },
      { bench: 'canvas', metric: 'flood published msg/s', value: fmtInt(sent / seconds), baseline: fmtInt(FLOOD_RATE), ratio: ratio(sent / seconds, FLOOD_RATE) },
      { bench: 'canvas', metric: 'preview counted msg/s at the source', value: fmtInt(counted / countedSeconds), baseline: fmtInt(sent / seconds), ratio: ratio(counted / countedSeconds, sent / seconds) },
    ];
  } finally {
    await publisher?.endAsync(true).catch(() => {});
    await browser.close().catch(() => {});
    await server.stop();
    await broker.stop();
  }
}

if (isMain(import.meta.url)) {
  runCanvasBench().then((rows) => {
    console.log(summaryTable(rows));
    process.exit(0);
  }, (e: Error) => {
    console.error(`canvas bench failed: ${e.stack ?? e.message}`);
    process.exit(1);
  });
}
