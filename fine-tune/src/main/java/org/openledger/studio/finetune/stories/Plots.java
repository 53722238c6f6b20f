package org.openledger.studio.finetune.stories;

import static org.openledger.studio.finetune.stories.Cast.a;
import static org.openledger.studio.finetune.stories.Cast.capitalise;

import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.finetune.stories.Cast.Character;

/**
 * Short children's stories in the past tense, one plot per method: an opening that introduces the hero, a
 * problem, some dialogue, a resolution and an ending. Every slot draws from a list in {@link Cast}, so the same
 * plot comes out in thousands of wordings, with pronouns that agree with who they stand for.
 */
final class Plots {

    private final Cast c;

    Plots(Cast cast) {
        this.c = cast;
    }

    /** A whole story about {@code hero}, as paragraphs separated by blank lines. */
    String story(Character hero) {
        List<String> s = new ArrayList<>();
        opening(hero, s);
        switch (c.between(0, 7)) {
            case 0 -> lostThing(hero, s);
            case 1 -> stuckThing(hero, s);
            case 2 -> sharing(hero, s);
            case 3 -> newFriend(hero, s);
            case 4 -> afraid(hero, s);
            case 5 -> baking(hero, s);
            case 6 -> hurtBird(hero, s);
            default -> rainyDay(hero, s);
        }
        return String.join("\n\n", s);
    }

    Character hero(String kind) {
        return kind == null ? c.someone(0.35, null) : kind.equals("girl") || kind.equals("boy")
                ? c.child(kind.equals("girl") ? Cast.Gender.GIRL : Cast.Gender.BOY, null) : c.pet(kind, null);
    }

    private void opening(Character h, List<String> s) {
        String adjective = c.pick(h.isAnimal() ? Cast.ANIMAL_ADJECTIVES : Cast.CHILD_ADJECTIVES);
        String who = a(adjective) + " " + h.kind() + (c.chance(0.5) ? " named " : " called ") + h.name();
        String first = switch (c.between(0, 3)) {
            case 0 -> "Once upon a time, there was " + who + ".";
            case 1 -> "There once was " + who + ".";
            case 2 -> "Once upon a time, in a small town, there lived " + who + ".";
            default -> "There was " + who + " who lived " + c.pick(List.of("in a big house", "in a little house",
                    "near the woods", "by the sea", "on a farm", "in a busy town")) + ".";
        };
        String likes = h.name() + " " + c.pick(List.of("liked to", "loved to", "always wanted to")) + " "
                + c.pick(Cast.LIKES) + ".";
        s.add(first + " " + likes + (c.chance(0.4) ? " " + h.He() + " was " + c.pick(List.of("a good friend",
                "very kind", "always happy", "full of ideas", "never still")) + "." : ""));
    }

    private Character friend(Character h) {
        return c.someone(0.3, h.name());
    }

    private String says(Character who, String line) {
        String verb = line.endsWith("?") ? "asked" : line.endsWith("!") ? c.pick(List.of("said", "shouted",
                "cried")) : c.pick(List.of("said", "said", "whispered", "replied"));
        // A quoted statement before its speaker ends with a comma, not a full stop: "I am here," she said.
        String quoted = line.endsWith(".") ? line.substring(0, line.length() - 1) + "," : line;
        return switch (c.between(0, 2)) {
            case 0 -> "\"" + quoted + "\" " + verb + " " + who.name() + ".";
            case 1 -> who.name() + " " + verb + ", \"" + line + "\"";
            default -> "\"" + quoted + "\" " + who.he() + " " + verb + ".";
        };
    }

    private String ending(Character h, Character f, String lesson) {
        return switch (c.between(0, 3)) {
            case 0 -> "From that day on, " + h.name() + " and " + f.name() + " were best friends.";
            case 1 -> h.name() + " learned that " + lesson + ".";
            case 2 -> "That night, " + h.name() + " went to bed with a big smile.";
            default -> "It was the best day ever.";
        };
    }

    private void lostThing(Character h, List<String> s) {
        String toy = c.pick(Cast.COLOURS) + " " + c.pick(Cast.TOYS);
        Character f = friend(h);
        String hiding = c.pick(Cast.HIDING_PLACES);
        String looked1 = c.pick(Cast.HIDING_PLACES);
        while (looked1.equals(hiding)) {
            looked1 = c.pick(Cast.HIDING_PLACES);
        }
        s.add(h.name() + " had " + a(toy) + ". " + h.He() + " loved it very much. " + c.pick(Cast.DAYS) + ", "
                + h.name() + " could not find " + h.his() + " " + toy + ". " + h.He() + " looked " + looked1
                + ", but it was not there. " + h.name() + " was " + c.pick(Cast.FEELINGS_BAD) + ".");
        s.add(says(h, "Where is my " + toy.substring(toy.indexOf(' ') + 1) + "?") + " Then " + f.name()
                + " came by. " + says(f, c.pick(List.of("Do not worry. I will help you look.",
                "Let me help you!", "We can find it together."))));
        s.add(h.name() + " and " + f.name() + " looked everywhere. At last, " + f.name() + " found the " + toy + " "
                + hiding + ". " + h.name() + " was so " + c.pick(Cast.FEELINGS_GOOD) + ". " + h.He() + " hugged "
                + f.name() + ". " + says(h, "Thank you, " + f.name() + "!"));
        s.add(ending(h, f, "friends help each other"));
    }

    private void stuckThing(Character h, List<String> s) {
        String toy = c.pick(List.of("kite", "ball", "balloon", "hat", "frisbee", "paper plane"));
        String place = c.pick(Cast.PLACES);
        Character f = friend(h);
        String stuck = c.pick(Cast.STUCK_PLACES);
        s.add(c.pick(Cast.DAYS) + ", " + h.name() + " went to " + place + " with " + f.name() + ". " + h.He()
                + " took " + h.his() + " " + c.pick(Cast.COLOURS) + " " + toy + ". They played with it for a long"
                + " time. Then the wind blew hard, and the " + toy + " got stuck " + stuck + ".");
        s.add(h.name() + " was " + c.pick(Cast.FEELINGS_BAD) + ". " + says(h, "My " + toy + " is stuck! How can"
                + " we get it back?") + " " + f.name() + " thought for a moment. Then " + f.he() + " had an idea.");
        String how = c.pick(List.of(
                f.name() + " found a long stick. " + f.He() + " reached up and pushed the " + toy + " down.",
                "They asked a tall man for help. He reached up and gave the " + toy + " back to " + h.name() + ".",
                f.name() + " climbed up very carefully and got the " + toy + ".",
                "They waited for the wind. The wind blew again, and the " + toy + " fell down into "
                        + h.name() + "'s hands."));
        s.add(how + " " + says(h, "Thank you! You are so clever!") + " " + f.name() + " smiled.");
        s.add(ending(h, f, "it is good to ask for help"));
    }

    private void sharing(Character h, List<String> s) {
        String food = c.pick(Cast.FOODS);
        Character f = friend(h);
        int n = c.between(4, 10);
        s.add(c.pick(Cast.DAYS) + ", " + h.name() + "'s " + c.pick(Cast.GROWNUPS) + " gave " + h.him() + " "
                + number(n) + " " + food + ". " + h.name() + " " + c.pick(List.of("loved", "liked")) + " " + food
                + " very much. " + h.He() + " sat down " + c.pick(List.of("under a tree", "on a bench", "in the grass",
                "by the window", "on the steps")) + " to eat them.");
        s.add("Then " + h.he() + " saw " + f.name() + ". " + f.name() + " looked " + c.pick(List.of("hungry",
                "sad", "lonely")) + ". " + f.He() + " had no " + food + ". " + h.name() + " wanted to keep all the "
                + food + " for " + h.gender().reflexive + ". But then " + h.he() + " thought about how "
                + f.name() + " felt.");
        s.add(h.name() + " walked to " + f.name() + " and gave " + f.him() + " " + number(n / 2) + " " + food + ". "
                + says(f, "Thank you, " + h.name() + "! You are very kind.") + " They ate the " + food
                + " together and laughed.");
        s.add(ending(h, f, "sharing makes everyone happy"));
    }

    private void newFriend(Character h, List<String> s) {
        String place = c.pick(Cast.PLACES);
        Character f = c.pet(c.pick(Cast.ANIMALS), h.name());
        String feeling = c.pick(Cast.FEELINGS_BAD);
        s.add(c.pick(Cast.DAYS) + ", " + h.name() + " went to " + place + ". There " + h.he() + " saw "
                + a(c.pick(Cast.ANIMAL_ADJECTIVES)) + " " + f.kind() + ". The " + f.kind() + " was all alone, and "
                + f.he() + " looked " + feeling + ".");
        s.add(says(h, "Hello, " + f.kind() + ". Why are you " + feeling.replace("very ", "") + "?") + " "
                + says(f, c.pick(List.of("I have no friends to play with.", "I am lost and I cannot find my home.",
                "Nobody wants to play with me."))));
        s.add(says(h, "I will be your friend!") + " The " + f.kind() + " was " + c.pick(Cast.FEELINGS_GOOD) + ". "
                + f.He() + " said " + f.his() + " name was " + f.name() + ". " + h.name() + " and " + f.name()
                + " " + c.pick(Cast.GAMES) + " and " + c.pick(Cast.GAMES) + " until the sun went down.");
        s.add(ending(h, f, "a kind word can make a new friend"));
    }

    private void afraid(Character h, List<String> s) {
        String fear = c.pick(List.of("the dark", "the big dog next door", "loud thunder", "the deep water",
                "the tall slide"));
        String grown = c.pick(Cast.GROWNUPS);
        Character f = friend(h);
        s.add(h.name() + " was afraid of " + fear + ". " + c.pick(Cast.DAYS) + ", " + h.he() + " had to be brave. "
                + h.He() + " held " + h.his() + " " + grown + "'s hand and said, \"I am scared.\"");
        s.add(h.His() + " " + grown + " smiled. " + "\"It is okay to be scared,\" " + c.pick(List.of("said", "said",
                "whispered")) + " " + h.his() + " " + grown + ". \"Take a deep breath. I am right here with you.\"");
        s.add(h.name() + " took a deep breath. " + h.He() + " counted to " + number(c.between(3, 10)) + ". Then "
                + h.he() + " tried again, and it was not so bad after all. " + f.name() + " came to see and clapped "
                + c.pick(List.of("for", "and cheered for")) + " " + h.him() + ". " + h.name() + " felt very proud.");
        s.add(ending(h, f, "being brave means trying even when you are scared"));
    }

    private void baking(Character h, List<String> s) {
        String grown = c.pick(Cast.GROWNUPS);
        String cake = c.pick(List.of("a cake", "cookies", "a pie", "bread", "pancakes", "muffins"));
        String flavour = c.pick(List.of("chocolate", "apples", "bananas", "lemon", "honey", "berries",
                "cinnamon"));
        Character f = friend(h);
        s.add(c.pick(Cast.DAYS) + ", " + h.name() + " and " + h.his() + " " + grown + " wanted to make " + cake + ". "
                + "It was " + f.name() + "'s birthday, and " + h.name() + " wanted to give " + f.him() + " a "
                + "surprise.");
        s.add("They put flour, eggs, milk and sugar in a big bowl. " + h.name() + " added some " + flavour + ". "
                + h.He() + " mixed and mixed. " + says(h, c.pick(List.of("This is fun!", "It smells so good!",
                "Can I taste it?"))) + " Then they put it in the oven and waited.");
        s.add("When it was ready, " + h.name() + " took it to " + f.name() + ". " + says(f, "Wow! Did you make this"
                + " for me?") + " " + says(h, "Yes! Happy birthday!") + " They ate it together, and it was very "
                + c.pick(List.of("yummy", "sweet", "good", "tasty")) + ".");
        s.add(ending(h, f, "making something for a friend is a great gift"));
    }

    private void hurtBird(Character h, List<String> s) {
        String animal = c.pick(List.of("bird", "duck", "owl", "butterfly", "bee"));
        String place = c.pick(Cast.PLACES);
        Character f = friend(h);
        s.add(c.pick(Cast.DAYS) + ", " + h.name() + " was playing at " + place + ". Suddenly, "
                + h.he() + " saw " + a(c.pick(List.of("little", "tiny", "small", "young"))) + " " + animal
                + " on the ground. It had a hurt wing and could not fly.");
        s.add(says(h, "Poor little " + animal + "! I will help you.") + " " + h.He() + " picked it up very gently"
                + " and took it home. " + h.He() + " made a soft bed for it in a box and gave it some water.");
        s.add("Every day, " + h.name() + " took care of the " + animal + ". " + f.name() + " came to help too."
                + " After " + number(c.between(3, 9)) + " days, the wing was better. The " + animal
                + " flapped its wings and flew up into the sky.");
        s.add(h.name() + " was a little sad to see it go. But the next morning, the " + animal + " came back to "
                + h.his() + " window to say hello. " + capitalise(ending(h, f, "helping others feels good")));
    }

    private void rainyDay(Character h, List<String> s) {
        String grown = c.pick(Cast.GROWNUPS);
        String place = c.pick(Cast.PLACES);
        s.add(h.name() + " wanted to go to " + place + ". But when " + h.he() + " looked out of the window, it was "
                + c.pick(List.of("raining", "raining hard", "cold and wet", "grey and rainy")) + ". " + h.name()
                + " was " + c.pick(Cast.FEELINGS_BAD) + ". " + says(h, "Now I cannot go out to play."));
        s.add(h.His() + " " + grown + " had an idea. " + "\"Let us " + c.pick(List.of("build a fort with blankets",
                "paint a big picture", "read a story together", "make a puppet show")) + ",\" "
                + c.pick(List.of("said", "said", "smiled")) + " " + h.his() + " " + grown + ". They had so much "
                + "fun that " + h.name() + " forgot about the rain.");
        s.add("Later, the sun came out. " + h.name() + " ran to the window and saw a big rainbow in the sky. "
                + says(h, "Look! A rainbow!") + " The next day, " + h.he() + " went to " + place + " after all.");
        s.add(capitalise("sometimes a rainy day can be a happy day too."));
    }

    static String number(int n) {
        return List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten").get(n);
    }
}
