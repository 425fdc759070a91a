package dev.kiln.capi.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** One observation of an object's state, in the shape of Kubernetes' metav1.Condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
    @Required private String type;
    @Required private String status;
    private Long observedGeneration;
    private String lastTransitionTime;
    private String reason;
    private String message;

    public Condition() {}

    public Condition(String type, String status, String reason, String message, Long observedGeneration) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
        this.observedGeneration = observedGeneration;
    }

    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public String getLastTransitionTime() { return lastTransitionTime; }
    public void setLastTransitionTime(String lastTransitionTime) { this.lastTransitionTime = lastTransitionTime; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Condition)) return false;
        Condition c = (Condition) o;
        return Objects.equals(type, c.type) && Objects.equals(status, c.status)
                && Objects.equals(observedGeneration, c.observedGeneration)
                && Objects.equals(lastTransitionTime, c.lastTransitionTime)
                && Objects.equals(reason, c.reason) && Objects.equals(message, c.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, status, observedGeneration, lastTransitionTime, reason, message);
    }

    @Override
    public String toString() {
        return type + "=" + status + " (" + reason + ": " + message + ", generation " + observedGeneration + ")";
    }
}
