package org.openledger.studio.api.finetune;

import java.util.List;

/**
 * An adapter as files ({@code GET /v1/adapters/{id}}): its id, the base model it was trained for and each file of
 * its PEFT folder with size and SHA-256, so a copy pulled to the desktop or pushed to another node is checked
 * file by file. {@code state} is "served" for an adapter the node serves, "receiving" while a push is incomplete.
 */
public record AdapterFiles(String id, String object, String baseModel, String state, List<File> files) {

    public record File(String name, long bytes, String sha256) {
    }
}
