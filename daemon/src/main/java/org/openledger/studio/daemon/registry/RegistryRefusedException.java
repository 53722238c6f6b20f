package org.openledger.studio.daemon.registry;

/** A request the registry refuses as it stands (a chunk out of range, a finish before every chunk is in, ...). */
public final class RegistryRefusedException extends RuntimeException {
    public RegistryRefusedException(String message) {
        super(message);
    }
}
