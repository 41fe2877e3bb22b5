package dev.hardening.cli;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.List;

/**
 * The parsed YAML nodes keep their marks: positions cost nothing until a violation asks for one. A field is found
 * where {@link ManifestParser} took its value from: the last key of that name, or the merged mapping that set it.
 */
record YamlTree(Source source, Node node) implements PositionTree {

    @Override
    public Position start() {
        return position(node.getStartMark());
    }

    @Override
    public Entry field(String name) {
        if (!(node instanceof MappingNode mapping)) {
            return null;
        }
        Entry found = null;
        for (NodeTuple tuple : mapping.getValue()) {
            Node key = tuple.getKeyNode();
            if (key.getTag().equals(Tag.MERGE)) {
                Node value = tuple.getValueNode();
                List<Node> merged = value instanceof SequenceNode sequence ? sequence.getValue() : List.of(value);
                for (int i = merged.size() - 1; i >= 0; i--) {
                    Entry entry = new YamlTree(source, merged.get(i)).field(name);
                    found = entry == null ? found : entry;
                }
            } else if (key instanceof ScalarNode scalar && name.equals(scalar.getValue())) {
                found = new Entry(position(key.getStartMark()), new YamlTree(source, tuple.getValueNode()));
            }
        }
        return found;
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
