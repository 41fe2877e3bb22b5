package dev.hardening.cli;

import java.util.List;

/**
 * Input the CLI cannot check: unreadable file, YAML syntax, an object without kind, an invalid policy. Printed as one
 * line naming the file and the line; the text never quotes the input (it may hold a secret), only where and what.
 */
final class InputException extends Exception {

    private final List<String> lines;

    InputException(String line) {
        this(List.of(line));
    }

    /** Several problems of one object, one line each. */
    InputException(List<String> lines) {
        super(String.join("\n", lines), null, false, false);
        this.lines = List.copyOf(lines);
    }

    List<String> lines() {
        return lines;
    }

    static InputException at(Source source, Position position, String problem) {
        return new InputException(source.at(position) + ": " + problem);
    }
}
