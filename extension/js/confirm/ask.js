// What the background needs to ask a person before a change: which tools are asked about, what
// the window shows, and the window's address. The window's text comes from the wasm
// (`describeCall`, paceline_core::tools::confirm): the tool's parsed arguments in its schema's
// order, and the target as the service (TrainingPeaks or Intervals.icu) has it, read first,
// with control and bidi characters stripped and long values visibly cut. The caller's own JSON
// is never shown.

/** Every tool that is not read-only is confirmed: creates as well as updates and deletions. */
export function needsConfirmation(meta) {
  return meta?.annotations?.readOnlyHint !== true;
}

/**
 * Whether a call is a dry run: a tool that changes something, called with `dry_run` exactly
 * `true`. Core's predicate (`tools::is_dry_run`) on the same JSON: the wasm runs such a call on
 * a context whose clients refuse every request but a GET before it is sent
 * (`CheckedCall::run`), whatever the tool's own code does, so a dry run cannot change anything
 * and needs neither the window nor the read-only switch. A tool without `dry_run` refuses the
 * argument, so nothing runs.
 */
export function isDryRun(meta, args) {
  return needsConfirmation(meta) && args !== null && typeof args === "object" && args.dry_run === true;
}

/** The names of the tools the confirmation switch covers, sorted (for the popup). */
export function coveredTools(tools) {
  return [...tools.values()].filter(needsConfirmation).map((t) => t.name).sort();
}

/**
 * Prepares the window's content. Resolves to `{ ok: true, shown }`, or `{ ok: false, code,
 * message }` when the call could not run anyway (bad arguments) or cannot be described: a
 * person is never asked to approve a change the window cannot show.
 */
export async function describe(wasm, tool, args) {
  try {
    const shown = JSON.parse(await wasm.describeCall(tool, JSON.stringify(args ?? {})));
    return { ok: true, shown };
  } catch (e) {
    if (e?.code === "invalid_params") {
      return { ok: false, code: "invalid_params", message: String(e?.message ?? e) };
    }
    return {
      ok: false,
      code: "tool_failed",
      message: `Paceline could not prepare the confirmation for "${tool}", so it was not run and nothing was changed: ${e?.message ?? e}`,
    };
  }
}

/** The window's address; everything it shows travels in the query (the page only renders). */
export function confirmUrl(cid, tool, shown, timeoutSeconds) {
  const details = JSON.stringify({ tool, timeout: timeoutSeconds, ...shown });
  return chrome.runtime.getURL(
    `extension/js/confirm/confirm.html?id=${encodeURIComponent(cid)}&d=${encodeURIComponent(details)}`,
  );
}
