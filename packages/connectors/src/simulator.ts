import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt from 'mqtt';

/** Topics of the reference walkthrough. */
export const SIMULATOR_TOPICS = {
  temperature: 'sensor/temperature/raw',
  humidity: 'sensor/humidity/raw',
  images: 'sensor/images/raw',
} as const;

export interface SimulatorOptions {
  url: string;
  /** Folder of 224×224 rgb24 `.raw` frames (and other images) to publish in turn. */
  imagesDir?: string;
  intervalMs?: number;
  /** Publish one camera frame every N ticks. */
  imageEvery?: number;
}

const msTs = (ms: number, counter: number) => `${String(ms).padStart(15, '0')}:${String(counter).padStart(5, '0')}:simulator`;

/**
 * Publishes temperature (°F), humidity and camera frames over MQTT 5 with a
 * `__ts` user property, so a new user sees data flowing at once.
 */
export async function startSimulator(o: SimulatorOptions): Promise<{ stop(): Promise<void>; published: () => number }> {
  const client = await mqtt.connectAsync(o.url, { protocolVersion: 5, clientId: `wgs-simulator-${process.pid}` });
  const frames: Buffer[] = [];
  if (o.imagesDir) {
    try {
      for (const f of (await readdir(o.imagesDir)).filter((n) => n.endsWith('.raw')).sort()) frames.push(await readFile(join(o.imagesDir, f)));
    } catch {
      // No frames: the image topic stays quiet.
    }
  }
  let tick = 0;
  let published = 0;
  const publish = (topic: string, payload: string | Buffer, counter: number) => {
    const now = Date.now();
    published++;
    return client.publishAsync(topic, payload, { qos: 1, properties: { userProperties: { __ts: msTs(now, counter) }, contentType: typeof payload === 'string' ? 'application/json' : 'application/octet-stream' } });
  };
  const timer = setInterval(() => {
    tick++;
    const t = 60 + 40 * Math.sin(tick / 10) + Math.random() * 2;
    const h = 50 + 30 * Math.cos(tick / 15);
    void publish(SIMULATOR_TOPICS.temperature, JSON.stringify({ temperature: { value: Math.round(t * 10) / 10, unit: 'F' } }), 0).catch(() => {});
    void publish(SIMULATOR_TOPICS.humidity, JSON.stringify({ humidity: { value: Math.round(h * 10) / 10 } }), 1).catch(() => {});
    if (frames.length && tick % (o.imageEvery ?? 5) === 0) {
      void publish(SIMULATOR_TOPICS.images, frames[(tick / (o.imageEvery ?? 5)) % frames.length]!, 2).catch(() => {});
    }
  }, o.intervalMs ?? 1000);
  return {
    published: () => published,
    stop: async () => {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
