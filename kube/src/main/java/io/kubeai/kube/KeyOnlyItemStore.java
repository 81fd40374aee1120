package io.kubeai.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer item store that keeps only each object's key ({@code namespace/name}) and
 * resource version, for informers whose handlers keep what they need themselves
 * ({@link ClusterCache}): without it the informer would hold every pod a second time, in full.
 *
 * <p>The informer still works as usual: it tells updates from re-lists by resource version, and
 * finds what a re-list dropped by key. What it hands back from the store (the old object of an
 * update, the object of a delete found by a re-list) has only namespace, name and resource
 * version. fabric8's {@code ReducedStateItemStore} does the same through a JSON tree of every
 * object it stores; this one keeps two strings and converts nothing. O(1) per event.
 */
public final class KeyOnlyItemStore<T extends HasMetadata> implements ItemStore<T> {
    private final ConcurrentHashMap<String, String> versions = new ConcurrentHashMap<>();
    private final Supplier<T> empty;

    /** @param empty makes an empty object of the informer's type ({@code Pod::new}) to restore keys into */
    public KeyOnlyItemStore(Supplier<T> empty) {
        this.empty = empty;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        String rv = obj.getMetadata() == null || obj.getMetadata().getResourceVersion() == null ? ""
                : obj.getMetadata().getResourceVersion();
        return restore(key, versions.put(key, rv));
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

    private T restore(String key, String resourceVersion) {
        if (resourceVersion == null) {
            return null;
        }
        int slash = key.indexOf('/');
        ObjectMeta m = new ObjectMeta();
        m.setNamespace(slash < 0 ? null : key.substring(0, slash));
        m.setName(slash < 0 ? key : key.substring(slash + 1));
        m.setResourceVersion(resourceVersion.isEmpty() ? null : resourceVersion);
        T t = empty.get();
        t.setMetadata(m);
        return t;
    }
}
