// "New from template": the gallery of the workflows Rust embeds (assets/templates), each with a
// sample input and mocks so it runs locally out of the box.
import { useEffect, useState } from "react";
import { errorMessage, rpc, type TemplateInfo } from "../../ipc/rpc";

type Props = { onChoose: (id: string) => void; onCancel: () => void };

export function TemplateGallery({ onChoose, onCancel }: Props) {
  const [templates, setTemplates] = useState<TemplateInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    rpc("list_templates", {}).then(setTemplates, (e: unknown) => setError(errorMessage(e)));
  }, []);

  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <div
        className="modal gallery"
        role="dialog"
        aria-modal="true"
        aria-labelledby="gallery-title"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => event.key === "Escape" && onCancel()}
      >
        <h2 id="gallery-title">New from template</h2>
        {error !== null && <p role="alert">{error}</p>}
        <ul className="gallery-list">
          {templates?.map((template) => (
            <li key={template.id}>
              <button
                type="button"
                className="gallery-item"
                data-template-id={template.id}
                onClick={() => onChoose(template.id)}
              >
                <span className="gallery-name">{template.name}</span>
                <span className="gallery-description">{template.description}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="modal-buttons">
          <button type="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
