// Demo only (see playground-guard.mjs): the receiver's answer to a callback the playground sent,
// as the page shows it — the JSON body, or the text when it is not JSON.

/** @param {Response} response */
export async function answerOf(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
