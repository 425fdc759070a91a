package dev.kiln.kilnctl.output;

import java.util.ArrayList;
import java.util.List;

/** Rows under one header, printed once, with each column as wide as its widest cell. */
public record Table(List<String> header, List<List<String>> rows) {

    public Table {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells for "
                        + header.size() + " columns");
            }
        }
    }

    public static Table of(List<String> header) {
        return new Table(header, List.of());
    }

    public Table withRow(List<String> row) {
        List<List<String>> more = new ArrayList<>(rows);
        more.add(List.copyOf(row));
        return new Table(header, more);
    }

    /** Tables of several nodes as one, each row led by its node: the NODE column. */
    public static Table byNode(List<String> header, List<NodeRows> nodes) {
        List<String> withNode = new ArrayList<>();
        withNode.add("NODE");
        withNode.addAll(header);
        List<List<String>> rows = new ArrayList<>();
        for (NodeRows node : nodes) {
            for (List<String> row : node.rows()) {
                List<String> led = new ArrayList<>();
                led.add(node.node());
                led.addAll(row);
                rows.add(led);
            }
        }
        return new Table(withNode, rows);
    }

    /** One node's rows, without the node. */
    public record NodeRows(String node, List<List<String>> rows) {
    }

    public String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length() + 3));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
