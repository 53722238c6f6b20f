package org.openledger.studio.finetune.stories;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/** The people, animals, things and places the generated stories are made of, and the pronouns they take. */
final class Cast {

    enum Gender {
        GIRL("she", "her", "her", "herself"), BOY("he", "him", "his", "himself");

        final String subject;
        final String object;
        final String possessive;
        final String reflexive;

        Gender(String subject, String object, String possessive, String reflexive) {
            this.subject = subject;
            this.object = object;
            this.possessive = possessive;
            this.reflexive = reflexive;
        }
    }

    /** A character: "a little girl named Lily", "a small dog called Spot". {@code kind} is a singular noun. */
    record Character(String name, String kind, Gender gender) {
        String he() {
            return gender.subject;
        }

        String He() {
            return capitalise(gender.subject);
        }

        String him() {
            return gender.object;
        }

        String his() {
            return gender.possessive;
        }

        String His() {
            return capitalise(gender.possessive);
        }

        boolean isAnimal() {
            return !kind.equals("girl") && !kind.equals("boy");
        }
    }

    static final List<String> GIRLS = List.of("Lily", "Mia", "Anna", "Sara", "Emma", "Lucy", "Zoe", "Ella", "Ruby",
            "Ivy", "Amy", "Kate", "Rose", "Nora", "Maya", "Jane", "Ava", "Grace", "Molly", "Sophie", "Hannah", "Lena",
            "Clara", "Alice");
    static final List<String> BOYS = List.of("Tom", "Ben", "Max", "Sam", "Leo", "Jack", "Tim", "Noah", "Finn",
            "Owen", "Jake", "Luke", "Adam", "Dan", "Eli", "Joe", "Ryan", "Theo", "Hugo", "Paul", "Mark", "Nick",
            "Oscar", "Peter");
    static final List<String> PET_NAMES = List.of("Spot", "Fluffy", "Buddy", "Coco", "Pip", "Daisy", "Rex", "Bella",
            "Milo", "Sunny", "Pepper", "Ginger", "Socks", "Lucky", "Rosie", "Bubbles", "Patch", "Toby", "Honey",
            "Nutmeg");
    static final List<String> ANIMALS = List.of("dog", "cat", "bunny", "bird", "bear", "duck", "frog", "fox",
            "mouse", "puppy", "kitten", "owl", "pig", "lamb", "squirrel", "turtle", "horse", "cow");
    static final List<String> CHILD_ADJECTIVES = List.of("little", "kind", "happy", "curious", "brave", "shy",
            "small", "funny", "clever", "cheerful", "gentle", "busy");
    static final List<String> ANIMAL_ADJECTIVES = List.of("little", "small", "fluffy", "friendly", "tiny", "happy",
            "playful", "soft", "young", "clever", "lazy", "brave");
    static final List<String> COLOURS = List.of("red", "blue", "green", "yellow", "pink", "purple", "orange",
            "white", "brown", "black");
    static final List<String> TOYS = List.of("ball", "kite", "hat", "book", "doll", "toy car", "teddy bear", "box",
            "shell", "balloon", "boat", "drum", "blanket", "truck", "train", "robot", "bucket", "scarf", "bike",
            "puzzle");
    static final List<String> PLACES = List.of("the park", "the beach", "the forest", "the garden", "the farm",
            "the zoo", "the lake", "the hill", "the market", "the library", "the playground", "the river",
            "the field", "the pond", "the meadow");
    static final List<String> HIDING_PLACES = List.of("under the bed", "behind the door", "in the garden",
            "under the table", "in the toy box", "behind the sofa", "in the kitchen", "under a big leaf",
            "next to the tree", "in the closet", "under the stairs", "in the grass");
    static final List<String> STUCK_PLACES = List.of("in a tall tree", "on the roof", "on top of the fence",
            "in a thick bush", "on a high shelf", "in the middle of the pond");
    static final List<String> FOODS = List.of("cookies", "apples", "grapes", "strawberries", "cherries", "candies",
            "muffins", "carrots", "cupcakes", "sandwiches", "oranges", "crackers");
    static final List<String> GAMES = List.of("played tag", "played hide and seek", "ran in the grass",
            "built a tower of blocks", "drew pictures", "jumped in the leaves", "sang songs", "played catch",
            "looked for bugs", "danced in the sun", "made a sandcastle", "counted the clouds");
    static final List<String> LIKES = List.of("play with toys", "run and jump", "look at the stars",
            "sing songs", "read books", "paint pictures", "climb trees", "pick flowers", "splash in puddles",
            "chase butterflies", "help others", "dance", "build things", "watch the birds", "eat fruit");
    static final List<String> DAYS = List.of("One day", "One sunny day", "One morning", "One afternoon",
            "One rainy day", "One warm day", "One cold morning", "On a bright summer day", "One windy day",
            "One evening", "One fine day", "Early one morning");
    static final List<String> GROWNUPS = List.of("mom", "dad", "grandma", "grandpa");
    static final List<String> FEELINGS_GOOD = List.of("happy", "glad", "proud", "excited", "very happy");
    static final List<String> FEELINGS_BAD = List.of("sad", "upset", "worried", "scared", "very sad");

    private final Random random;

    Cast(Random random) {
        this.random = random;
    }

    <T> T pick(List<T> xs) {
        return xs.get(random.nextInt(xs.size()));
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    /** A child, or with probability {@code animal} a named animal. */
    Character someone(double animal, String notNamed) {
        if (chance(animal)) {
            return pet(pick(ANIMALS), notNamed);
        }
        return child(random.nextBoolean() ? Gender.GIRL : Gender.BOY, notNamed);
    }

    Character child(Gender g, String notNamed) {
        String name;
        do {
            name = pick(g == Gender.GIRL ? GIRLS : BOYS);
        } while (name.equals(notNamed));
        return new Character(name, g == Gender.GIRL ? "girl" : "boy", g);
    }

    Character pet(String kind, String notNamed) {
        String name;
        do {
            name = pick(PET_NAMES);
        } while (name.equals(notNamed));
        return new Character(name, kind, random.nextBoolean() ? Gender.GIRL : Gender.BOY);
    }

    /** "a" or "an" before a word, by its first letter (the words here have no silent h or long u). */
    static String a(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    static String capitalise(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
