package dev.hardening.cli;

/** A place in an input file, both 1-based; {@link #NONE} when the input has no usable lines (rendered Helm output). */
record Position(int line, int column) {

    static final Position NONE = new Position(0, 0);

    boolean known() {
        return line > 0;
    }
}
