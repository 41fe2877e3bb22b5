package dev.hardening.cli;

/** The shape of a parsed document with the position of each node: YAML nodes as parsed, or JSON as recorded. */
interface PositionTree {

    /** A mapping entry: where its key is, and its value. */
    record Entry(Position key, PositionTree value) {
    }

    Position start();

    /** The entry {@code name} of a mapping, or null (no such key, or not a mapping). */
    Entry field(String name);

    /** Item {@code index} of a sequence, or null. */
    PositionTree item(int index);
}
