package dev.kiln.kilnctl.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void severalNodesShareOneHeaderWithANodeColumn() {
        Table table = Table.byNode(List.of("SERVICE", "STATE"), List.of(
                new Table.NodeRows("127.0.86.1:50000", List.of(List.of("etcd", "RUNNING"), List.of("apid", "RUNNING"))),
                new Table.NodeRows("127.0.86.2:50000", List.of(List.of("etcd", "FAILED")))));
        assertEquals("""
                NODE               SERVICE   STATE
                127.0.86.1:50000   etcd      RUNNING
                127.0.86.1:50000   apid      RUNNING
                127.0.86.2:50000   etcd      FAILED
                """, table.render());
    }

    @Test
    void aNodeWithNoRowsAddsNothingButTheHeaderStays() {
        Table table = Table.byNode(List.of("MEMBER", "ALARM"), List.of(new Table.NodeRows("n1", List.of())));
        assertEquals("NODE   MEMBER   ALARM\n", table.render());
    }

    @Test
    void columnsWidenToTheirWidestCell() {
        Table table = Table.of(List.of("A", "B")).withRow(List.of("wide cell", "x")).withRow(List.of("y", "z"));
        assertEquals("A           B\nwide cell   x\ny           z\n", table.render());
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Table.of(List.of("A", "B")).withRow(List.of("only one")));
    }
}
