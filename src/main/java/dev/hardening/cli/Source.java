package dev.hardening.cli;

import java.nio.file.Path;

/**
 * One input the user named: a file, standard input, or one template of a rendered Helm chart.
 *
 * @param name       how messages name it: the path as the user wrote it (joined for files found in a directory),
 *                   {@code <stdin>}, or the template path inside the chart
 * @param file       the file on disk, {@code null} for standard input
 * @param text       the whole content
 * @param linesKnown false for rendered Helm output, whose line numbers are not those of the template file
 */
record Source(String name, Path file, String text, boolean linesKnown) {

    static final String STDIN = "<stdin>";

    Position position(int line, int column) {
        return linesKnown ? new Position(line, column) : Position.NONE;
    }

    /** {@code name:line:column}, or just the name when lines are not known. */
    String at(Position position) {
        return position.known() ? name + ":" + position.line() + ":" + position.column() : name;
    }
}
