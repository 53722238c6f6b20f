package org.openledger.studio.fuzz;

import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One parser under fuzzing: valid seeds, how its inputs are shaped (so mutations keep most of the structure), what
 * it does with one input, and the oracle: the exceptions its documentation promises. Anything else it throws, any
 * JVM error, or a run past the campaign's per-input time-out is a finding.
 */
public interface FuzzTarget {

    /** A short name, also the folder of its findings and regression inputs, e.g. {@code safetensors}. */
    String name();

    /** Valid inputs to start from (at least one). */
    List<byte[]> seeds();

    Format format();

    /** Parses (and uses) one input; may throw only what {@link #accepted} accepts. */
    void run(byte[] input) throws Exception;

    /** The oracle: whether {@code thrown} is one of the parser's documented refusals. */
    boolean accepted(Throwable thrown);

    /** One mutant of a seed; targets with a compound layout (a length prefix, a zip) override this. */
    default byte[] mutate(byte[] seed, Random random, Mutator mutator) {
        return mutator.mutate(seed, format(), random);
    }

    /** This target with its own way of making mutants (for a compound layout: a length prefix and a body). */
    default FuzzTarget mutatedBy(Mutation mutation) {
        FuzzTarget self = this;
        return new FuzzTarget() {
            @Override
            public String name() {
                return self.name();
            }

            @Override
            public List<byte[]> seeds() {
                return self.seeds();
            }

            @Override
            public Format format() {
                return self.format();
            }

            @Override
            public void run(byte[] input) throws Exception {
                self.run(input);
            }

            @Override
            public boolean accepted(Throwable thrown) {
                return self.accepted(thrown);
            }

            @Override
            public byte[] mutate(byte[] seed, Random random, Mutator mutator) {
                return mutation.mutate(seed, random, mutator);
            }
        };
    }

    /** Makes one mutant of a seed. */
    @FunctionalInterface
    interface Mutation {
        byte[] mutate(byte[] seed, Random random, Mutator mutator);
    }

    /** How a target's bytes are shaped, which picks the mutations that fit. */
    enum Format {
        /** JSON text: mutated as a tree (values swapped for extremes, nodes dropped, duplicated, nested) or as bytes. */
        JSON,
        /** Text with structure the mutator does not parse (a template, CSV, JSON lines): tokens, lines and bytes. */
        TEXT,
        /** Bytes: bit flips, integers overwritten with extremes, ranges cut, repeated and spliced. */
        BINARY
    }

    /** A target from its parts; {@code accepted} are the documented exception types (subclasses count). */
    static FuzzTarget of(String name, Format format, List<byte[]> seeds, Body body,
                         Set<Class<? extends Throwable>> accepted) {
        return new FuzzTarget() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<byte[]> seeds() {
                return seeds;
            }

            @Override
            public Format format() {
                return format;
            }

            @Override
            public void run(byte[] input) throws Exception {
                body.run(input);
            }

            @Override
            public boolean accepted(Throwable thrown) {
                return accepted.stream().anyMatch(c -> c.isInstance(thrown));
            }
        };
    }

    /** What a target does with one input. */
    @FunctionalInterface
    interface Body {
        void run(byte[] input) throws Exception;
    }
}
