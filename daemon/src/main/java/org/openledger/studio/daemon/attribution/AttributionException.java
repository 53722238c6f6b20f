package org.openledger.studio.daemon.attribution;

/** A request attribution cannot serve, with the parameter at fault: answered as 400 (404 when {@code notFound}). */
public final class AttributionException extends Exception {

    private final String param;
    private final boolean notFound;

    AttributionException(String param, String message, boolean notFound) {
        super(message);
        this.param = param;
        this.notFound = notFound;
    }

    static AttributionException bad(String param, String message) {
        return new AttributionException(param, message, false);
    }

    static AttributionException unknown(String param, String message) {
        return new AttributionException(param, message, true);
    }

    public String param() {
        return param;
    }

    public boolean notFound() {
        return notFound;
    }
}
