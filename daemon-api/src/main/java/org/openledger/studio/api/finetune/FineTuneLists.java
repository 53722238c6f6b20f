package org.openledger.studio.api.finetune;

import java.util.List;

/** OpenAI's list envelopes for jobs and events. */
public final class FineTuneLists {

    private FineTuneLists() {
    }

    public record Jobs(String object, List<FineTuneJob> data, boolean hasMore) {
        public static Jobs of(List<FineTuneJob> data) {
            return new Jobs("list", List.copyOf(data), false);
        }
    }

    public record Checkpoints(String object, List<FineTuneCheckpoint> data, boolean hasMore) {
        public static Checkpoints of(List<FineTuneCheckpoint> data) {
            return new Checkpoints("list", List.copyOf(data), false);
        }
    }

    public record Rows(String object, List<TrainedRow> data, boolean hasMore) {
        public static Rows of(List<TrainedRow> data) {
            return new Rows("list", List.copyOf(data), false);
        }
    }

    public record Events(String object, List<FineTuneEvent> data, boolean hasMore) {
        public static Events of(List<FineTuneEvent> data) {
            return new Events("list", List.copyOf(data), false);
        }
    }
}
