package dev.hardening.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer's store that keeps, per object, its key ({@code namespace/name}) and resourceVersion only: what the
 * informer needs to tell an update from a duplicate and to delete, on a relist (after 410 Gone), the objects that are
 * gone. A scan report's findings never stay in memory here, whatever their number; {@link DigestIndex} keeps what the
 * rules read. What the store hands back ({@link #get}, {@link #values}) is an empty object of the kind with that
 * name, namespace and resourceVersion: the handlers receive it only as the old object of an update and on a relist's
 * delete, where they read the name alone. Not the full state ({@link #isFullState()} false), so that the informer
 * hands the listed objects themselves to the handlers instead of reading them back from here.
 */
final class VersionOnlyStore<T extends HasMetadata> implements ItemStore<T> {

    private final Map<String, String> versions = new ConcurrentHashMap<>();
    private final Supplier<T> empty;

    /** {@code empty}: a new object of the informer's kind (its apiVersion and kind set), with no metadata yet. */
    VersionOnlyStore(Supplier<T> empty) {
        this.empty = empty;
    }

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public T put(String key, T object) {
        String version = object.getMetadata().getResourceVersion();
        return restore(key, versions.put(key, version == null ? "" : version));
    }

    @Override
    public T remove(String key) {
        return restore(key, versions.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return versions.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return versions.entrySet().stream().map(e -> restore(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return versions.size();
    }

    @Override
    public T get(String key) {
        return restore(key, versions.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    private T restore(String key, String version) {
        if (version == null) {
            return null;
        }
        // the key is namespace/name, or name alone for a cluster-scoped object (neither may contain a slash)
        int slash = key.indexOf('/');
        ObjectMeta metadata = new ObjectMeta();
        metadata.setNamespace(slash < 0 ? null : key.substring(0, slash));
        metadata.setName(key.substring(slash + 1));
        metadata.setResourceVersion(version.isEmpty() ? null : version);
        T object = empty.get();
        object.setMetadata(metadata);
        return object;
    }
}
