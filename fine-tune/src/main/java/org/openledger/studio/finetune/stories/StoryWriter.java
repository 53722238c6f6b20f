package org.openledger.studio.finetune.stories;

import java.util.Random;

/**
 * Writes simple, coherent English from grammar templates and a seeded {@link Random}: short children's stories
 * (most of it), paragraphs of plain facts, and conversations in the chat template's {@code User:}/{@code
 * Assistant:} shape. A model of a million parameters trained for an hour on a CPU can learn this narrow
 * distribution well enough to write readable sentences, where it only learns the texture of a 19th-century novel.
 * The text is the project's own (CC0). The same seed gives the same documents on every JVM, because
 * {@link Random}'s sequence is fixed by its specification.
 */
public final class StoryWriter {

    private final Cast cast;
    private final Plots plots;
    private final Talk talk;

    public StoryWriter(long seed) {
        this.cast = new Cast(new Random(seed));
        this.plots = new Plots(cast);
        this.talk = new Talk(cast, plots);
    }

    /** The next document: a story (80%), a conversation (15%) or a paragraph of facts (5%). */
    public String document() {
        if (cast.chance(0.8)) {
            return story();
        }
        return cast.chance(0.75) ? conversation() : facts();
    }

    public String story() {
        return plots.story(plots.hero(null));
    }

    public String conversation() {
        return talk.conversation();
    }

    public String facts() {
        return talk.facts();
    }
}
