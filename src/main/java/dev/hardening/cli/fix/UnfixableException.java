package dev.hardening.cli.fix;

/** A fix that cannot be applied as a text edit here (an alias, an unexpected shape): left to a human, with why. */
public final class UnfixableException extends Exception {

    public UnfixableException(String reason) {
        super(reason, null, false, false);
    }
}
