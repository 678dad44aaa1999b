// The canvas as the window shows it, for tests: inside React Flow's provider (App.tsx gives it
// one), showing `graph`, with handlers that do nothing unless a test passes its own.
import type { ComponentProps, ReactNode } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { Canvas } from "./Canvas";

type Props = Partial<ComponentProps<typeof Canvas>> &
  Pick<ComponentProps<typeof Canvas>, "graph"> & { children?: ReactNode };

export function CanvasUnderTest({ children, ...props }: Props) {
  return (
    <ReactFlowProvider>
      <Canvas
        documentId={7}
        diagnostics={[]}
        colorMode="light"
        selectedId={null}
        onEdit={() => {}}
        onMove={() => {}}
        runStatus={null}
        onSelect={() => {}}
        {...props}
      />
      {children}
    </ReactFlowProvider>
  );
}
