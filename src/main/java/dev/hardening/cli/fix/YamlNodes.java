package dev.hardening.cli.fix;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/** The documents of a YAML text as parser nodes with their marks: what {@link YamlEditor} edits at. */
public final class YamlNodes {

    private YamlNodes() {
    }

    /** Every document, empty ones as null, so that index i is document i of the text. */
    public static List<Node> compose(String text) {
        LoaderOptions options = new LoaderOptions();
        // as the check parser: a rendered chart is one stream, larger than the default 3 MB
        options.setCodePointLimit(256 * 1024 * 1024);
        List<Node> documents = new ArrayList<>();
        for (Node node : new Yaml(options).composeAll(new StringReader(text))) {
            documents.add(node);
        }
        return documents;
    }

    /** The document's node and, for a List, the nodes of its items: where the checked objects of a document start. */
    public static List<Node> objects(Node document) {
        List<Node> objects = new ArrayList<>();
        objects.add(document);
        if (document instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && "items".equals(key.getValue())
                        && tuple.getValueNode() instanceof SequenceNode items) {
                    objects.addAll(items.getValue());
                }
            }
        }
        return objects;
    }

    /** 1-based line and column of where {@code node} starts, as the check report gives an object's position. */
    public static int[] start(Node node) {
        return new int[] {node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1};
    }
}
