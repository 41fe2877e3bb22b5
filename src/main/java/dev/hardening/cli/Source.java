package dev.hardening.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One input the user named: a file, standard input, or one template of a rendered Helm chart. Files and standard
 * input are read as a stream when parsed, a document at a time, never held whole: a report keeps only the name.
 *
 * @param name       how messages name it: the path as the user wrote it (joined for files found in a directory),
 *                   {@code <stdin>}, or the template path inside the chart
 * @param file       the file on disk, {@code null} for standard input
 * @param text       the whole content when it is already in memory (rendered Helm output, tests), else null
 * @param linesKnown false for rendered Helm output, whose line numbers are not those of the template file
 * @param stdin      standard input, for {@link #STDIN}; read once
 */
record Source(String name, Path file, String text, boolean linesKnown, InputStream stdin) {

    static final String STDIN = "<stdin>";

    Source(String name, Path file, String text, boolean linesKnown) {
        this(name, file, text, linesKnown, null);
    }

    static Source file(String name, Path file) {
        return new Source(name, file, null, true, null);
    }

    static Source stdin(InputStream in) {
        return new Source(STDIN, null, null, true, in);
    }

    /** The content as strict UTF-8 (a binary file fails with a CharacterCodingException while read). */
    Reader open() throws IOException {
        if (text != null) {
            return new StringReader(text);
        }
        InputStream in = stdin != null ? stdin : Files.newInputStream(file);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
    }

    Position position(int line, int column) {
        return linesKnown ? new Position(line, column) : Position.NONE;
    }

    /** {@code name:line:column}, or just the name when lines are not known. */
    String at(Position position) {
        return position.known() ? name + ":" + position.line() + ":" + position.column() : name;
    }
}
