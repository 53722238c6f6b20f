package org.openledger.studio.finetune.stories;

import java.util.ArrayList;
import java.util.List;

/**
 * Simple facts and short conversations in the shape of the bundled chat template ({@code User: ...} and
 * {@code Assistant: ...} lines), so that the Playground's chat continues a conversation instead of a novel.
 * The assistant's answers are short, polite and only about what this generator knows: its stories and a few
 * plain facts about the everyday world.
 */
final class Talk {

    /** A question and its one-sentence answer. */
    record Fact(String question, String answer) {
    }

    static final List<Fact> FACTS = List.of(
            new Fact("What color is the sky?", "The sky is blue on a clear day."),
            new Fact("What color is grass?", "Grass is green."),
            new Fact("What do cows give us?", "Cows give us milk."),
            new Fact("What do bees make?", "Bees make honey."),
            new Fact("Where do fish live?", "Fish live in water."),
            new Fact("Can birds fly?", "Yes, most birds can fly."),
            new Fact("Is the sun hot?", "Yes, the sun is very hot."),
            new Fact("What is snow?", "Snow is frozen water. It is cold and white."),
            new Fact("What do plants need to grow?", "Plants need water, light and soil to grow."),
            new Fact("How many legs does a dog have?", "A dog has four legs."),
            new Fact("How many legs does a spider have?", "A spider has eight legs."),
            new Fact("How many days are in a week?", "There are seven days in a week."),
            new Fact("What do we use to see?", "We use our eyes to see."),
            new Fact("What do we use to hear?", "We use our ears to hear."),
            new Fact("What does a cat say?", "A cat says meow."),
            new Fact("What does a dog say?", "A dog says woof."),
            new Fact("What does a cow say?", "A cow says moo."),
            new Fact("What does a duck say?", "A duck says quack."),
            new Fact("When do we sleep?", "Most people sleep at night."),
            new Fact("What is rain?", "Rain is water that falls from the clouds."),
            new Fact("Where does the sun rise?", "The sun rises in the east."),
            new Fact("What color is a banana?", "A ripe banana is yellow."),
            new Fact("What color is an apple?", "An apple can be red, green or yellow."),
            new Fact("What do rabbits like to eat?", "Rabbits like to eat carrots and grass."),
            new Fact("Is ice hot or cold?", "Ice is cold."),
            new Fact("What is a baby cat called?", "A baby cat is called a kitten."),
            new Fact("What is a baby dog called?", "A baby dog is called a puppy."),
            new Fact("What is a baby sheep called?", "A baby sheep is called a lamb."),
            new Fact("What do we wear when it rains?", "We wear a raincoat and boots when it rains."),
            new Fact("What comes after Monday?", "Tuesday comes after Monday."),
            new Fact("How many months are in a year?", "There are twelve months in a year."),
            new Fact("What do we see at night?", "At night we can see the moon and the stars."),
            new Fact("Why do we brush our teeth?", "We brush our teeth to keep them clean and strong."),
            new Fact("What do frogs eat?", "Frogs eat flies and other small bugs."),
            new Fact("Where do birds live?", "Many birds live in nests in trees."),
            new Fact("What is the biggest animal?", "The blue whale is the biggest animal."),
            new Fact("What do we drink?", "We drink water, milk and juice."),
            new Fact("What makes a rainbow?", "A rainbow forms when the sun shines through drops of rain."),
            new Fact("What color is a carrot?", "A carrot is orange."),
            new Fact("How many wheels does a bike have?", "A bike has two wheels."));

    static final List<String> TOPICS = List.of("girl", "boy", "dog", "cat", "bunny", "bird", "bear", "duck",
            "frog", "fox", "mouse", "puppy", "kitten", "owl", "pig", "lamb", "turtle", "horse");

    private final Cast c;
    private final Plots plots;

    Talk(Cast cast, Plots plots) {
        this.c = cast;
        this.plots = plots;
    }

    /** A paragraph of plain facts. */
    String facts() {
        List<Fact> shuffled = new ArrayList<>(FACTS);
        StringBuilder b = new StringBuilder();
        int n = c.between(4, 8);
        for (int i = 0; i < n; i++) {
            Fact f = shuffled.remove(c.between(0, shuffled.size() - 1));
            b.append(i == 0 ? "" : " ").append(f.answer());
        }
        return b.toString();
    }

    /** One to three turns of a conversation. */
    String conversation() {
        StringBuilder b = new StringBuilder();
        if (c.chance(0.5)) {
            String hello = c.pick(List.of("Hello!", "Hi!", "Hi there.", "Good morning!", "Hello, how are you?"));
            turn(b, hello, hello.contains("how are you") ? "I am fine, thank you! How can I help you today?"
                    : c.pick(List.of("Hello! How can I help you today?", "Hi! What would you like to talk about?",
                    "Hello! Would you like to hear a story?")));
        }
        int turns = c.between(1, 2);
        for (int i = 0; i < turns; i++) {
            switch (c.between(0, 4)) {
                case 0, 1 -> {
                    String topic = c.pick(TOPICS);
                    String about = Cast.a(topic);
                    String ask = c.pick(List.of("Tell me a story about " + about + ".",
                            "Can you tell me a short story about " + about + "?",
                            "Please write a story about " + about + ".",
                            "I want a story about " + about + "."));
                    turn(b, ask, c.pick(List.of("", "Sure! ", "Of course! ", "Here is a story. "))
                            + plots.story(plots.hero(topic)).replace("\n\n", " "));
                }
                case 2, 3 -> {
                    Talk.Fact f = c.pick(FACTS);
                    turn(b, f.question(), f.answer());
                }
                default -> turn(b, c.pick(List.of("Who are you?", "What is your name?", "What can you do?")),
                        c.pick(List.of("I am a small language model. I can tell short stories and answer simple"
                                + " questions.", "I am a tiny model that likes to tell stories for children.")));
            }
        }
        if (c.chance(0.4)) {
            turn(b, c.pick(List.of("Thank you!", "Thanks!", "That was nice. Thank you.")),
                    c.pick(List.of("You are welcome!", "You are welcome. Have a nice day!",
                            "I am glad you liked it!")));
        }
        return b.toString().stripTrailing();
    }

    private static void turn(StringBuilder b, String user, String assistant) {
        b.append("User: ").append(user).append('\n').append("Assistant: ").append(assistant).append('\n');
    }
}
