/**
 * Names on the sync relay, shared by the relay (which enforces them) and the host (which must
 * choose names the relay accepts). A document is addressed as `<workspace>/<doc>`.
 */

/** Workspace ids: short, URL-safe, case-sensitive. */
export const WORKSPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Document names within a workspace. */
export const DOC_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;
