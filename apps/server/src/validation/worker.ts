/** The validation worker thread: runs one task per message and answers with its result or error. */
import { parentPort } from 'node:worker_threads';
import { runTask, type ValidationTask } from './tasks.ts';

export interface TaskMessage {
  id: number;
  task: ValidationTask;
}

export type ResultMessage = { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string };

parentPort!.on('message', ({ id, task }: TaskMessage) => {
  let answer: ResultMessage;
  try {
    answer = { id, ok: true, result: runTask(task) };
  } catch (e) {
    answer = { id, ok: false, message: (e as Error)?.message ?? String(e) };
  }
  parentPort!.postMessage(answer);
});
parentPort!.postMessage({ ready: true });
