package dev.reactivekit.showcase.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** An aligned text table: numbers right-aligned, everything else left; long cells cut with "..." but for the last. */
public final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final int maxCellWidth;

    public Table(String... headers) {
        this(60, headers);
    }

    public Table(int maxCellWidth, String... headers) {
        this.headers = List.of(headers);
        this.maxCellWidth = maxCellWidth;
    }

    /** A row; every cell but the last (where errors go, whole) is cut to the table's cell width. */
    public Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            String s = cells[i] == null ? "" : cells[i].toString();
            boolean last = i == cells.length - 1;
            row.add(last || s.length() <= maxCellWidth ? s : s.substring(0, maxCellWidth - 3) + "...");
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintStream out) {
        int[] widths = new int[headers.size()];
        boolean[] numeric = new boolean[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            numeric[c] = c > 0 && !rows.isEmpty();
            for (List<String> row : rows) {
                String cell = c < row.size() ? row.get(c) : "";
                widths[c] = Math.max(widths[c], cell.length());
                numeric[c] &= cell.isEmpty() || cell.matches("-?[\\d.,]+(ms|s|%| B| KiB| MiB| GiB|/s)?");
            }
        }
        out.println(line(headers, widths, numeric));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
        }
        out.println(rule);
        for (List<String> row : rows) {
            out.println(line(row, widths, numeric));
        }
    }

    private static String line(List<String> cells, int[] widths, boolean[] numeric) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            String cell = c < cells.size() ? cells.get(c) : "";
            if (c > 0) {
                b.append("  ");
            }
            String pad = " ".repeat(widths[c] - cell.length());
            b.append(numeric[c] ? pad + cell : c == widths.length - 1 ? cell : cell + pad);
        }
        return b.toString();
    }

    /** {@code 1.5 MiB}: bytes for people. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
