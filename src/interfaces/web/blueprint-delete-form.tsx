/** The word a person types to confirm deleting a blueprint. */
export const DELETE_CONFIRMATION = 'DELETE';

/**
 * A delete form behind a typed confirmation; `error` is the server's refusal of the last attempt,
 * `idSuffix` keeps the ids unique where a page holds several (the list).
 */
export function DeleteBlueprintForm(props: {
  id: string;
  title: string;
  error?: string | undefined;
  idSuffix?: string;
}) {
  const input = props.idSuffix ? `confirm-${props.idSuffix}` : 'confirm';
  const error = `${input}-error`;
  return (
    <form method="post" action={`/blueprints/${props.id}/delete`} class="delete-blueprint">
      <div class="field">
        <label for={input}>{`Type ${DELETE_CONFIRMATION} to delete “${props.title}”`}</label>
        <input
          id={input}
          name="confirm"
          required
          autocomplete="off"
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? error : `${input}-hint`}
        />
        {props.error ? (
          <p id={error} class="field-error">
            {props.error}
          </p>
        ) : (
          <p id={`${input}-hint`} class="hint">
            Deleting does not give back the blueprint's unit of your quota.
          </p>
        )}
      </div>
      <button type="submit" class="danger">
        Delete blueprint
      </button>
    </form>
  );
}
