package dev.kiln.capi.api.common;

import java.util.List;

/** A status that carries a list of conditions. */
public interface HasConditions {
    List<Condition> getConditions();

    void setConditions(List<Condition> conditions);
}
