package dev.fleetbackup.cli;

/** {@code --output}: for people, or for machines (JSON, or the same tree as YAML); case-insensitive on the command line. */
public enum OutputFormat {
  text,
  json,
  yaml;

  boolean structured() {
    return this != text;
  }
}
