package dev.fleetbackup.validate;

import dev.fleetbackup.model.SafeText;

/**
 * Text a message embeds but did not write, unquoted: a library's own message (which may repeat what
 * it read) or a field path made of the user's keys. User values themselves go through
 * {@link SafeText#quote}.
 */
final class Untrusted {
  /** Twice a quote's length: a library's sentence around a value, or a path of several keys. */
  static final int LIMIT = 2 * SafeText.QUOTE_LIMIT;

  private Untrusted() {}

  static String text(String text) {
    return SafeText.oneLine(SafeText.truncate(text == null ? "" : text, LIMIT));
  }
}
