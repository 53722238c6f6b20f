package org.openledger.studio.api.adapters;

/** The answer to {@code DELETE /v1/adapters/{id}}. */
public record AdapterDeleted(String id, String object, boolean deleted) {
}
