package org.openledger.studio.daemon.finetune;

import java.util.List;
import org.openledger.studio.api.finetune.TrainedRow;

/** Where fine-tuning jobs find the rows of a Datanet: the node's registry. */
@FunctionalInterface
public interface DatanetRows {

    /** A node without a registry: every Datanet is unknown. */
    DatanetRows NONE = id -> null;

    /** One row to train on and where it came from ({@code split} is left null here). */
    record Row(String text, TrainedRow source) {
    }

    /** The Datanet's rows in a stable order; null when the node does not hold that Datanet. */
    List<Row> rows(String datanetId);
}
