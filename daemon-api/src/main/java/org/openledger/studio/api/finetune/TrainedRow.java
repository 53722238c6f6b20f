package org.openledger.studio.api.finetune;

/**
 * A Datanet row a job used ({@code GET /v1/fine_tuning/jobs/{id}/rows}): where it came from in the registry, its
 * content hash, and whether it was trained on ({@code train}) or held out ({@code validation}). Attribution of the
 * adapter's answers starts from this list.
 */
public record TrainedRow(String datanetId, String uploadId, int seq, String hash, String contributor,
                         String split) {
}
