package org.openledger.studio.gpu.device;

/** A device that does not exist here, cannot be used, or has too little memory for what was asked. */
public class DeviceException extends Exception {

    public DeviceException(String message) {
        super(message);
    }
}
