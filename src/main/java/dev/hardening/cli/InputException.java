package dev.hardening.cli;

/**
 * Input the CLI cannot check: unreadable file, YAML syntax, an object without kind, an invalid policy. Printed as one
 * line naming the file and the line; the text never quotes the input (it may hold a secret), only where and what.
 */
final class InputException extends Exception {

    InputException(String line) {
        super(line, null, false, false);
    }

    static InputException at(Source source, Position position, String problem) {
        return new InputException(source.at(position) + ": " + problem);
    }
}
