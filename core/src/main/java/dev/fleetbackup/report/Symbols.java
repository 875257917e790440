package dev.fleetbackup.report;

import dev.fleetbackup.model.VeleroPhase;

/**
 * The marks a view puts before a state. A terminal aligns its columns by character, so it gets
 * one-column marks; a forge page gets emoji, which carry colour: Failed must not look like
 * Completed at a glance.
 */
record Symbols(String ok, String warn, String fail, String waiting, String unknown) {
  static final Symbols TERMINAL = new Symbols("✓", "⚠", "✗", "⏳", "?");
  static final Symbols EMOJI = new Symbols("✅", "⚠️", "❌", "⏳", "❔");

  /** One run's phase as one mark. */
  String of(VeleroPhase phase) {
    return switch (phase) {
      case COMPLETED -> ok;
      case PARTIALLY_FAILED -> warn;
      case FAILED, FAILED_VALIDATION -> fail;
      case UNKNOWN -> unknown;
      default -> waiting;
    };
  }
}
