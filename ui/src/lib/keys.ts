// Keyboard helpers shared by the window's shortcuts.

/** The key went to a place the user types in: single-letter shortcuts stay out of its way. */
export function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}
