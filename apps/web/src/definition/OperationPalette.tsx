import { OPERATION_TYPES } from '@wgs/graph-model';
import { useReactFlow } from '@xyflow/react';
import { useDesigner } from '../store/designer.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../model/flow.ts';

/** What a palette item carries while it is dragged onto the canvas. */
export const PALETTE_MIME = 'application/x-wgs-operation';

const HINTS: Record<string, string> = {
  source: 'where messages enter (bound by the DataflowGraph)',
  map: 'transforms each message',
  filter: 'keeps or drops each message',
  branch: 'routes each message to its True or False arm',
  accumulate: 'folds the messages of a window into one',
  delay: 'holds messages, e.g. to align them to a window',
  concatenate: 'merges several inputs into one stream',
  sink: 'where messages leave',
};

/** Operation kinds to add: click adds one in the middle of the view, or drag it to where it should go. */
export function OperationPalette() {
  const addOperation = useDesigner((s) => s.addOperation);
  const { screenToFlowPosition } = useReactFlow();
  const addInView = (kind: string) => {
    const pane = document.querySelector('[data-testid=canvas] .react-flow')?.getBoundingClientRect();
    const center = pane ? screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }) : undefined;
    addOperation(kind, center && { x: center.x - NODE_WIDTH / 2, y: center.y - NODE_HEIGHT / 2 });
  };
  return (
    <div className="palette" data-testid="palette" aria-label="Add an operation">
      {OPERATION_TYPES.map((kind) => (
        <button
          key={kind}
          className={`palette-item op-${kind}`}
          data-kind={kind}
          draggable
          title={`${kind}: ${HINTS[kind]} (click or drag onto the canvas)`}
          onClick={() => addInView(kind)}
          onDragStart={(e) => {
            e.dataTransfer.setData(PALETTE_MIME, kind);
            e.dataTransfer.effectAllowed = 'copy';
          }}
        >
          {kind}
        </button>
      ))}
    </div>
  );
}
