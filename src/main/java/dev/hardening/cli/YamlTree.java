package dev.hardening.cli;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** The parsed YAML nodes keep their marks: positions cost nothing until a violation asks for one. */
record YamlTree(Source source, Node node) implements PositionTree {

    @Override
    public Position start() {
        return position(node.getStartMark());
    }

    @Override
    public Entry field(String name) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && name.equals(scalar.getValue())) {
                    return new Entry(position(tuple.getKeyNode().getStartMark()), new YamlTree(source, tuple.getValueNode()));
                }
            }
        }
        return null;
    }

    @Override
    public PositionTree item(int index) {
        if (node instanceof SequenceNode sequence && index < sequence.getValue().size()) {
            return new YamlTree(source, sequence.getValue().get(index));
        }
        return null;
    }

    private Position position(Mark mark) {
        return source.position(mark.getLine() + 1, mark.getColumn() + 1);
    }
}
