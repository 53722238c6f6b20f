package org.openledger.studio.ui.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.Events;
import org.openledger.studio.api.openai.PlaygroundApi;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.openai.ChatCompletionRequest;
import org.openledger.studio.api.openai.ChatCompletionResponse;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.ui.attribution.RecordFollower;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * The Playground: chat with the base model or an adapter served by the active node, optionally with a second model
 * side by side on the same prompts, tokens streamed as they are generated with their probabilities.
 */
public final class PlaygroundViewModel {

    /** Alternatives asked for per token, shown on hover. */
    static final int TOP_LOGPROBS = 5;

    private final ActiveNode<PlaygroundApi> activeNode;
    private final BackgroundTasks tasks;
    private final ObservableList<String> models = FXCollections.observableArrayList();
    private final Conversation left = new Conversation();
    private final Conversation right = new Conversation();
    private final BooleanProperty compare = new SimpleBooleanProperty(false);
    private final DoubleProperty temperature = new SimpleDoubleProperty(0.7);
    private final IntegerProperty maxTokens = new SimpleIntegerProperty(128);
    private final StringProperty status = new SimpleStringProperty("");
    private final IntegerProperty streaming = new SimpleIntegerProperty(0);
    private final List<Events<ChatCompletionResponse>> open = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, Integer> contexts = new java.util.HashMap<>();
    private final List<RecordFollower> followers = new ArrayList<>();
    private String wanted;
    private Consumer<AttributionRecord.Influence> openInDatanets;

    public PlaygroundViewModel(ActiveNode<PlaygroundApi> activeNode, BackgroundTasks tasks) {
        this.activeNode = activeNode;
        this.tasks = tasks;
    }

    public ObservableList<String> models() {
        return models;
    }

    public Conversation left() {
        return left;
    }

    public Conversation right() {
        return right;
    }

    public BooleanProperty compareProperty() {
        return compare;
    }

    public DoubleProperty temperatureProperty() {
        return temperature;
    }

    public IntegerProperty maxTokensProperty() {
        return maxTokens;
    }

    /** What the user should know: no node, no model, an error. */
    public StringProperty statusProperty() {
        return status;
    }

    public BooleanBinding busyProperty() {
        return Bindings.greaterThan(streaming, 0);
    }

    /**
     * Chats with {@code id} on the left, e.g. an adapter just trained: the models are asked for again, since the
     * node may have started serving it after the last list.
     */
    public void use(String id) {
        wanted = id;
        left.modelProperty().set(id);
        refreshModels();
    }

    /** Asks the active node which models it serves. */
    public void refreshModels() {
        Optional<? extends PlaygroundApi> client = activeNode.get();
        if (client.isEmpty()) {
            status.set("No node is connected yet.");
            return;
        }
        tasks.create("Listing models", p -> client.get().models()).onSuccess(list -> {
            List<String> ids = list.data().stream().map(ModelList.Model::id).toList();
            contexts.clear();
            list.data().forEach(m -> {
                if (m.maxModelLen() != null) {
                    contexts.put(m.id(), m.maxModelLen());
                }
            });
            // replacing the items resets a combo box's value: keep the choices, then put them back
            String keepLeft = wanted != null ? wanted : left.modelProperty().get();
            String keepRight = right.modelProperty().get();
            if (!models.equals(ids)) {
                models.setAll(ids);
            }
            if (ids.isEmpty()) {
                status.set("The active node serves no model: start it with --base-model DIR, or pick another node"
                        + " in Nodes.");
                return;
            }
            status.set("");
            if (wanted != null && ids.contains(wanted)) {
                wanted = null;
            }
            left.modelProperty().set(ids.contains(keepLeft) ? keepLeft : ids.get(0));
            right.modelProperty().set(ids.contains(keepRight) ? keepRight : ids.get(ids.size() > 1 ? 1 : 0));
        }).onError(e -> status.set("Could not list models: " + e.getMessage())).start();
    }

    /** Sends {@code text} to the left model, and to the right one when comparing. */
    public void send(String text) {
        String prompt = text == null ? "" : text.strip();
        if (prompt.isEmpty() || busyProperty().get()) {
            return;
        }
        Optional<? extends PlaygroundApi> client = activeNode.get();
        if (client.isEmpty()) {
            status.set("No node is connected yet.");
            return;
        }
        if (left.modelProperty().get() == null) {
            status.set("Pick a model first.");
            return;
        }
        status.set("");
        List<Conversation> sides = new ArrayList<>(List.of(left));
        if (compare.get()) {
            sides.add(right);
        }
        for (Conversation side : sides) {
            side.turns().add(ChatTurn.user(prompt));
            ChatTurn reply = ChatTurn.assistant();
            String m = side.modelProperty().get();
            // a limit at or beyond the model's context means "as long as the context allows": let the node decide
            Integer max = maxTokens.get() >= contexts.getOrDefault(m, Integer.MAX_VALUE) ? null : maxTokens.get();
            var request = new ChatCompletionRequest(m, side.history(), max, null,
                    temperature.get(), null, null, null, null, null, true, true, TOP_LOGPROBS, null, null, null, null);
            side.turns().add(reply);
            stream(client.get(), request, reply);
        }
    }

    private void stream(PlaygroundApi client, ChatCompletionRequest request, ChatTurn reply) {
        streaming.set(streaming.get() + 1);
        tasks.create("Answering with " + request.model(), p -> {
            try (Events<ChatCompletionResponse> stream = client.streamChat(request)) {
                open.add(stream);
                try {
                    ChatCompletionResponse chunk;
                    while ((chunk = stream.next()) != null) {
                        if (chunk.attributionId() != null) {
                            // on the usage chunk, after the last token
                            String id = chunk.attributionId();
                            tasks.onUi(() -> reply.attributionIdProperty().set(id));
                        }
                        for (ChatCompletionResponse.Choice c : chunk.choices()) {
                            deliver(tasks, reply, c);
                        }
                    }
                } finally {
                    open.remove(stream);
                }
            }
            return null;
        }).onSuccess(v -> {
            if (reply.stateProperty().get() == ChatTurn.State.STREAMING) {
                reply.stateProperty().set(ChatTurn.State.STOPPED);
                reply.noteProperty().set("stopped");
            }
        }).onError(e -> {
            reply.stateProperty().set(ChatTurn.State.FAILED);
            reply.noteProperty().set(e.getMessage());
        }).andFinally(() -> streaming.set(streaming.get() - 1)).start();
    }

    private static void deliver(BackgroundTasks tasks, ChatTurn reply, ChatCompletionResponse.Choice c) {
        List<TokenPiece> pieces = new ArrayList<>();
        if (c.logprobs() != null && c.logprobs().content() != null) {
            for (ChatCompletionResponse.TokenLogprob t : c.logprobs().content()) {
                List<TokenPiece.Alternative> alts = t.topLogprobs() == null ? List.of() : t.topLogprobs().stream()
                        .map(a -> new TokenPiece.Alternative(a.token(), a.logprob())).toList();
                pieces.add(new TokenPiece(t.token(), t.logprob(), alts));
            }
        }
        String delta = c.delta() == null || c.delta().content() == null ? "" : c.delta().content();
        String finish = c.finishReason();
        tasks.onUi(() -> {
            if (pieces.isEmpty()) {
                // text held back earlier (a possible stop sequence, half a character) released now: its tokens
                // are already shown, so only the message text grows
                reply.append(null, delta);
            } else {
                for (int i = 0; i < pieces.size(); i++) {
                    reply.append(pieces.get(i), i == pieces.size() - 1 ? delta : "");
                }
            }
            if (finish != null) {
                reply.stateProperty().set(ChatTurn.State.DONE);
                reply.noteProperty().set(finish.equals("length") ? "stopped at the token limit" : "");
            }
        });
    }

    /**
     * Follows the attribution record of {@code turn} (its {@code attributionId}) on the node that is active now;
     * empty when no node is. Followers still running stop on {@link #clear()}.
     */
    public Optional<RecordFollower> attribution(ChatTurn turn) {
        String id = turn.attributionIdProperty().get();
        Optional<? extends PlaygroundApi> client = activeNode.get();
        if (id == null || client.isEmpty()) {
            return Optional.empty();
        }
        RecordFollower f = RecordFollower.follow(tasks, client.get(), id);
        followers.add(f);
        f.recordProperty().addListener((o, a, b) -> followers.remove(f));
        f.errorProperty().addListener((o, a, b) -> followers.remove(f));
        return Optional.of(f);
    }

    /** What "Open in Datanets" of an influential row does; null (the default) hides that button. */
    public void setOpenInDatanets(Consumer<AttributionRecord.Influence> open) {
        this.openInDatanets = open;
    }

    Consumer<AttributionRecord.Influence> openInDatanets() {
        return openInDatanets;
    }

    /** Stops every answer being streamed. */
    public void stop() {
        open.forEach(Events::close);
    }

    public void clear() {
        stop();
        followers.forEach(RecordFollower::stop);
        followers.clear();
        left.turns().clear();
        right.turns().clear();
    }
}
