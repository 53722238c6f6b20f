package org.openledger.studio.gpu.device;

/** A model (with its cache) that will not fit in the free memory of the chosen device. */
public final class InsufficientMemoryException extends DeviceException {

    private final MemoryPlan plan;

    public InsufficientMemoryException(MemoryPlan plan, String message) {
        super(message);
        this.plan = plan;
    }

    public MemoryPlan plan() {
        return plan;
    }
}
