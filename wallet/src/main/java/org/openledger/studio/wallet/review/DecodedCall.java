package org.openledger.studio.wallet.review;

import java.util.List;

/** A contract call in words: which contract, which function, each argument's name, type and value. */
public record DecodedCall(String contract, String function, List<Argument> arguments) {

    public record Argument(String name, String type, String value) {
    }

    /** {@code approve(spender=0x..., value=115792...)}. */
    public String signatureWithValues() {
        StringBuilder sb = new StringBuilder(function).append('(');
        for (int i = 0; i < arguments.size(); i++) {
            Argument a = arguments.get(i);
            sb.append(i > 0 ? ", " : "").append(a.name().isEmpty() ? a.type() : a.name()).append('=').append(a.value());
        }
        return sb.append(')').toString();
    }
}
