package dev.fleetbackup.source;

/** One policy file of a config repo: its path relative to the repo root (with '/') and its text. */
public record PolicyFile(String path, String text) {}
