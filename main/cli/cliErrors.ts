/** A mistake in how the command was called: exit status 2, one line on stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Bad data or a computation PyTorch would refuse: exit status 1, one line on stderr. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}
