// A transition: an orthogonal path with its label on a readable chip. Loops leave and re-enter
// on the right side so they never run back up through the forward flow; labels that share a
// spot stack instead of overprinting each other, and a text already shown there is not drawn
// again (toFlow.ts).
import { memo, useContext, useMemo } from "react";
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";
import { LONG_EDGE, ViewWindow, clipToWindow, windowOf } from "./dashedClip";
import type { TransitionFlowEdge } from "./toFlow";

const LABEL_SPACING = 22;
const LABEL_CLEARANCE = 20;

export const TransitionEdge = memo(function TransitionEdge(props: EdgeProps<TransitionFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const back = props.data?.back ?? false;
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    borderRadius: 10,
    offset: back ? 36 : 20,
  });
  // A long dashed edge (a Catch) is drawn only around the view: see dashedClip.ts.
  const long =
    props.style?.strokeDasharray !== undefined &&
    Math.abs(sourceX - targetX) + Math.abs(sourceY - targetY) > LONG_EDGE;
  const area = useContext(ViewWindow);
  const clipped = useMemo(() => (long && area !== "" ? clipToWindow(path, windowOf(area)) : null), [long, path, area]);
  // Forward labels sit just above the state they lead to, where a Choice's rules fan out and
  // no longer share a path; loop labels sit on their side path.
  const stack = props.data?.stack ?? 0;
  const [x, y] = back ? [labelX, labelY] : [targetX, targetY - LABEL_CLEARANCE];
  return (
    <>
      {clipped === null ? (
        <BaseEdge id={id} path={path} markerEnd={props.markerEnd} style={props.style} />
      ) : (
        clipped.path !== "" && (
          <BaseEdge
            id={id}
            path={clipped.path}
            markerEnd={clipped.reachesEnd ? props.markerEnd : undefined}
            style={{ ...props.style, strokeDashoffset: clipped.offset }}
          />
        )
      )}
      {props.label && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label edge-label-${props.data?.kind ?? "next"}`}
            style={{
              transform: `translate(-50%, -50%) translate(${x}px, ${y + stack * LABEL_SPACING}px)`,
            }}
          >
            {props.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

export const edgeTypes = { transition: TransitionEdge };
