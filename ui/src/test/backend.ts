// The one way UI tests mock the Rust side: every command goes to `handle`, except the queries the
// app makes in the background, answered empty unless a test says otherwise. Events are mocked too.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

/** The queries the app makes in the background. */
export const BACKGROUND: Record<string, unknown> = {
  list_palette: [],
  vocabulary: null,
  recent_files: [],
  variable_names: [],
  list_inputs: [],
};

/** Mocks the Rust side (and its events): `handle` answers every command but the background ones. */
export function backend(
  handle: (command: string, args: unknown) => unknown,
  background: Record<string, unknown> = {},
) {
  const answers = { ...BACKGROUND, ...background };
  mockIPC((command, args) => (command in answers ? answers[command] : handle(command, args)), {
    shouldMockEvents: true,
  });
}

export { clearMocks };
