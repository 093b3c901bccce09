/**
 * Where a routing source sends a message: a flattened data flow whose Source
 * nodes feed different nodes gives each of the composite source's connections
 * the topic filters of the Source nodes feeding its target (graph-model
 * flattenDataflow, `Connection.topics`).
 */
import { TopicFilterIndex, type Connection } from '@wgs/graph-model';

export class TopicRoutes {
  private readonly index = new TopicFilterIndex<string>();
  /** Every target once, in connection order (the order the engine delivers in). */
  private readonly order: string[];
  /** Targets reached only through filtered connections; the others take every message. */
  private readonly filtered = new Set<string>();

  constructor(connections: readonly Connection[]) {
    this.order = [...new Set(connections.map((c) => c.to.name))];
    const unfiltered = new Set(connections.filter((c) => !c.topics).map((c) => c.to.name));
    for (const c of connections) {
      if (!c.topics || unfiltered.has(c.to.name)) continue;
      this.filtered.add(c.to.name);
      for (const filter of c.topics) this.index.add(filter, c.to.name);
    }
  }

  /** The operations a message on `topic` enters, each once, in connection order. */
  targets(topic: string): string[] {
    const hit = new Set(this.index.match(topic).values);
    return this.order.filter((t) => !this.filtered.has(t) || hit.has(t));
  }
}
