package dev.kiln.capi.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrdCheckTest {
    @TempDir Path generated;
    @TempDir Path committed;

    @BeforeEach
    void bothHoldTheSameTwoFiles() throws IOException {
        for (Path dir : List.of(generated, committed)) {
            Files.writeString(dir.resolve("a.example.yaml"), "kind: A\n");
            Files.writeString(dir.resolve("b.example.yaml"), "kind: B\n");
        }
    }

    @Test
    void identicalDirectoriesAreFresh() throws IOException {
        assertEquals(List.of(), CrdCheck.staleFiles(generated, committed));
    }

    @Test
    void changedMissingAndLeftoverFilesAreAllNamed() throws IOException {
        Files.writeString(committed.resolve("a.example.yaml"), "kind: A # edited by hand\n");
        Files.delete(committed.resolve("b.example.yaml"));
        Files.writeString(committed.resolve("old.example.yaml"), "kind: Old\n");

        assertEquals(List.of("a.example.yaml", "b.example.yaml", "old.example.yaml"), CrdCheck.staleFiles(generated, committed));
    }

    @Test
    void staleDirectoryFailsWithTheFixInTheMessage() throws IOException {
        Files.writeString(committed.resolve("a.example.yaml"), "kind: A2\n");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CrdCheck.main(new String[] {generated.toString(), committed.toString()}));

        assertTrue(e.getMessage().startsWith("crds/ is stale: run hack/update-crds"), e.getMessage());
        assertTrue(e.getMessage().contains("crds/a.example.yaml"), e.getMessage());
    }
}
