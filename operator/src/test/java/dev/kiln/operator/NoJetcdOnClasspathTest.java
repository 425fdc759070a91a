package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** jetcd brings Vert.x 5 and fabric8 needs Vert.x 4: the operator must reach etcd only through the machine API. */
class NoJetcdOnClasspathTest {

    @Test
    void jetcdClientIsNotOnTheOperatorClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.etcd.jetcd.Client"));
    }

    @Test
    void jetcdGeneratedStubsAreNotOnTheOperatorClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.etcd.jetcd.api.KVGrpc"));
    }
}
