import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "dist-mock", "src/ipc/generated"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The platform seam: only src/ipc talks to Tauri, so the rest of the UI can run and be
      // tested without it.
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@tauri-apps/*"], message: "Import Tauri only in src/ipc." }] },
      ],
    },
  },
  {
    files: ["src/ipc/**/*.{ts,tsx}", "src/test/**/*.{ts,tsx}", "**/*.test.{ts,tsx}"],
    rules: { "no-restricted-imports": "off" },
  },
);
