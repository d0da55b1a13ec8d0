package io.stasis.image;

import java.util.ArrayList;
import java.util.List;

/** A table of left- or right-aligned columns, two spaces apart, for terminal output. */
final class TextTable {

    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    TextTable left(String header) {
        headers.add(header);
        rightAligned.add(false);
        return this;
    }

    TextTable right(String header) {
        headers.add(header);
        rightAligned.add(true);
        return this;
    }

    TextTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(Printable.of(String.valueOf(cell)));
        }
        rows.add(row);
        return this;
    }

    void appendTo(StringBuilder out, String indent) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        appendRow(out, indent, headers, widths);
        for (List<String> row : rows) {
            appendRow(out, indent, row, widths);
        }
    }

    private void appendRow(StringBuilder out, String indent, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            if (i > 0) {
                line.append("  ");
            }
            line.append(rightAligned.get(i) ? pad + cell : cell + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
