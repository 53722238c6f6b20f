package org.openledger.studio.datanet.contribution;

/** The node (or the verifier on its side) refused a manifest or a chunk; the message says why. */
public class ContributionRejectedException extends RuntimeException {
    public ContributionRejectedException(String message) {
        super(message);
    }
}
