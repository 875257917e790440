package dev.fleetbackup.cli;

/** {@code --output}: for people, or for machines. */
public enum OutputFormat {
  text,
  json
}
