/** A pickle this project will not read: malformed, truncated, or naming something outside the allow-list. */
export class PickleError extends Error {
  override readonly name = 'PickleError';
}
