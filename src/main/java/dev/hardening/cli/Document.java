package dev.hardening.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One object-shaped document of an input: the JSON tree the API server would receive, and where its fields are.
 *
 * @param index position of the document in its source, from 0 (empty documents count)
 */
record Document(Source source, int index, ObjectNode object, FieldPositions positions) {
}
