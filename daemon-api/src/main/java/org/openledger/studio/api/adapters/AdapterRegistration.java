package org.openledger.studio.api.adapters;

/**
 * {@code POST /v1/adapters}: serve the PEFT adapter folder at {@code path} on the node under {@code id} (default:
 * the folder's name). It is copied into the node's adapter folder, or moved when {@code move} is true; an id in
 * use is a 409 unless {@code replace} is true (requests running on the old weights finish on them; new ones get
 * the new weights).
 */
public record AdapterRegistration(String path, String id, Boolean move, Boolean replace) {
}
