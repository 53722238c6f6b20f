package org.openledger.studio.gpu.model;

/** The seven linear layers of a Llama block, named as Hugging Face and PEFT name them. */
public enum Projection {
    Q("self_attn", "q_proj"), K("self_attn", "k_proj"), V("self_attn", "v_proj"), O("self_attn", "o_proj"),
    GATE("mlp", "gate_proj"), UP("mlp", "up_proj"), DOWN("mlp", "down_proj");

    private final String block;
    private final String module;

    Projection(String block, String module) {
        this.block = block;
        this.module = module;
    }

    /** PEFT's target_modules name, e.g. {@code q_proj}. */
    public String module() {
        return module;
    }

    /** e.g. {@code model.layers.3.self_attn.q_proj} */
    public String path(int layer) {
        return "model.layers." + layer + "." + block + "." + module;
    }

    public static Projection ofModule(String module) {
        for (Projection p : values()) {
            if (p.module.equals(module)) {
                return p;
            }
        }
        return null;
    }

    /** [out, in] of the HF weight matrix. */
    public long[] weightShape(ModelConfig c) {
        long d = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long i = c.intermediateSize();
        return switch (this) {
            case Q -> new long[] {q, d};
            case K, V -> new long[] {kv, d};
            case O -> new long[] {d, q};
            case GATE, UP -> new long[] {i, d};
            case DOWN -> new long[] {d, i};
        };
    }

    public boolean hasBias(ModelConfig c) {
        return switch (this) {
            case Q, K, V -> c.qkvBias();
            case O -> c.outputBias();
            default -> false;
        };
    }
}
