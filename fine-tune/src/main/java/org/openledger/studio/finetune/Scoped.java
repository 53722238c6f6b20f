package org.openledger.studio.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Moves a temporary onto a step's manager, so the weights' manager does not collect every step's results. */
final class Scoped {

    private Scoped() {
    }

    static NDArray of(NDManager scope, NDArray a) {
        if (a.getManager() != scope) {
            a.attach(scope);
        }
        return a;
    }

    static NDArray grad(NDManager scope, NDArray p) {
        return of(scope, p.getGradient());
    }
}
