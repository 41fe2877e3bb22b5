package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.cli.pin.ImageName;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.ObjectReader;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.WorkloadKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every container image of the workloads in a source, with its field path and where it is written. */
final class ImageUses {

    /**
     * One image field.
     *
     * @param document the document's index in the source
     * @param item     the item's index in a List, or -1
     * @param path     {@code spec.template.spec.containers[0].image}
     */
    record ImageUse(Source source, int document, int item, String path, ImageName image, Position position) {

        String at() {
            return source.at(position);
        }
    }

    private ImageUses() {
    }

    static List<ImageUse> of(Source source, ManifestParser parser) throws InputException {
        List<ImageUse> uses = new ArrayList<>();
        for (Document document : parser.parse(source)) {
            ObjectNode object = document.object();
            JsonNode items = object.get("items");
            if (object.path("kind").asText().endsWith("List") && items != null && items.isArray()) {
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i) instanceof ObjectNode item) {
                        add(source, document.index(), i, item, document.positions().item("items", i), uses);
                    }
                }
            } else {
                add(source, document.index(), -1, object, document.positions(), uses);
            }
        }
        return uses;
    }

    private static void add(Source source, int document, int item, ObjectNode object, FieldPositions positions,
                            List<ImageUse> uses) throws InputException {
        Optional<WorkloadKind> kind = ObjectChecker.handledKind(object.path("apiVersion").asText(), object.path("kind").asText());
        if (kind.isEmpty()) {
            return;
        }
        PodTarget target;
        try {
            target = PodTarget.of(kind.get(), ObjectReader.read(object, kind.get().modelClass()));
        } catch (ObjectReader.UnreadableObjectException e) {
            throw InputException.at(source, positions.of(e.path()), object.path("kind").asText()
                    + " cannot be read: unexpected value or type" + (e.path().isEmpty() ? "" : " at " + e.path()));
        }
        for (ContainerRef container : target.containers()) {
            ImageName image = ImageName.of(container.image());
            if (image != null) {
                String path = container.field("image");
                uses.add(new ImageUse(source, document, item, path, image, positions.of(path)));
            }
        }
    }
}
