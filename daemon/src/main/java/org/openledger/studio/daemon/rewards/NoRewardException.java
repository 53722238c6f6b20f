package org.openledger.studio.daemon.rewards;

/** The account has nothing in the newest posted epoch (or no epoch is posted yet). */
public final class NoRewardException extends RuntimeException {
    public NoRewardException(String message) {
        super(message);
    }
}
