package dev.kiln.capi.api.common;

import java.util.List;

/** A status that carries a list of conditions and the generation they were computed for. */
public interface HasConditions {
    List<Condition> getConditions();

    void setConditions(List<Condition> conditions);

    Long getObservedGeneration();

    void setObservedGeneration(Long observedGeneration);
}
