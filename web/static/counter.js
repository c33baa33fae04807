// The message counter: shown near the API's limit, and over it the message cannot be sent
// (nothing is cut: the user is told by how much to shorten it).

export const MAX_TEXT_CHARS = 4000; // the API's limit for a message (assistant/textnorm.py)
const COUNTER_FROM = MAX_TEXT_CHARS - 500; // the counter shows from here on

function count(n) {
  return n.toLocaleString("en-US");
}

/** What the counter says for a message of ``length`` characters: its i18n key and numbers. */
export function counterFor(length) {
  const over = length > MAX_TEXT_CHARS;
  return {
    over,
    hidden: length < COUNTER_FROM,
    key: over ? "counterOver" : "counterLeft",
    numbers: {
      count: count(length),
      max: count(MAX_TEXT_CHARS),
      left: count(MAX_TEXT_CHARS - length),
      over: count(length - MAX_TEXT_CHARS),
    },
  };
}
