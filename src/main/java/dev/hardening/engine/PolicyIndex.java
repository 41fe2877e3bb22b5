package dev.hardening.engine;

import java.util.List;

/** Which policies apply to a namespace. Implementations answer from memory: no API call, no blocking. */
public interface PolicyIndex {

    /** The policies that apply to objects in {@code namespace}; empty when none does. */
    List<CompiledPolicy> policiesFor(String namespace);

    /** True once the index reflects the cluster: before that, an empty answer would wrongly mean "no policy". */
    boolean ready();
}
