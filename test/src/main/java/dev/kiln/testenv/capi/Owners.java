package dev.kiln.testenv.capi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;

/** Owner references as Cluster API core sets them on the objects it adopts. */
final class Owners {

    private Owners() {
    }

    static boolean isOwnedBy(HasMetadata object, HasMetadata owner) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(ref -> owner.getMetadata().getUid().equals(ref.getUid()));
    }

    /** Makes {@code owner} the controller of {@code object}, replacing another controller reference; true if changed. */
    static boolean adopt(HasMetadata object, HasMetadata owner) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences() == null ? new ArrayList<>()
                : new ArrayList<>(object.getMetadata().getOwnerReferences());
        if (refs.stream().anyMatch(ref -> owner.getMetadata().getUid().equals(ref.getUid())
                && Boolean.TRUE.equals(ref.getController()))) {
            return false;
        }
        refs.removeIf(ref -> Boolean.TRUE.equals(ref.getController())
                || owner.getMetadata().getUid().equals(ref.getUid()));
        refs.add(controller(owner));
        object.getMetadata().setOwnerReferences(refs);
        return true;
    }

    static OwnerReference controller(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }
}
