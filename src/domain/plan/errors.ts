/**
 * The document cannot be read as a plan: wrong encoding, empty, no sections. The message is one
 * Chinese sentence for the operator; callers print it as is.
 */
export class PlanInputError extends Error {
  override readonly name = "PlanInputError";
}
