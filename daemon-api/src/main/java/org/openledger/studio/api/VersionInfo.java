package org.openledger.studio.api;

/** Answer of {@code GET /v1/version}. */
public record VersionInfo(String version, String apiVersion, String javaVersion) {
}
