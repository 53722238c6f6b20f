package org.openledger.studio.ui.datanet;

import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.onchain.OnChainStatus;

/** One line of the contribution history: the upload to the node and where it stands on chain. */
public record ContributionItem(UploadState upload, OnChainStatus chain) {

    /** Uploaded to the node and not (successfully) on its way on chain yet. */
    public boolean submittable() {
        return upload.stage() == UploadState.Stage.COMPLETE && !chain.submitted();
    }
}
