package org.openledger.studio.api.attribution;

/** {@code POST /v1/attribution/indexes}: build (or rebuild) the influence index of an adapter the node trained. */
public record IndexRequest(String adapter) {
}
