package org.tsr.standalone.console;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Shows progress in the terminal: redrawn in place on an interactive terminal, otherwise (a log, a CI job) printed
 * again only when something other than the clock changed, and at most every 30 seconds.
 */
public final class ProgressView {

    private final PrintWriter out;
    private final boolean interactive;
    private int drawnLines;
    private String lastContent = "";
    private long lastPrinted;

    public ProgressView(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Shows the lines; {@code content} is what they say apart from the times, to tell a real change. */
    public void show(List<String> lines, String content) {
        if (interactive) {
            StringBuilder frame = new StringBuilder();
            if (drawnLines > 0) {
                frame.append("\033[").append(drawnLines).append('A');
            }
            for (String line : lines) {
                frame.append("\r\033[2K").append(line).append('\n');
            }
            out.print(frame);
            out.flush();
            drawnLines = lines.size();
            return;
        }
        long now = System.nanoTime();
        if (!content.equals(lastContent) && now - lastPrinted > 30_000_000_000L || lastPrinted == 0) {
            lines.forEach(out::println);
            out.flush();
            lastContent = content;
            lastPrinted = now;
        }
    }

    /** One progress line: what, done of total, a bar and the time since {@code since}. */
    public void showSteps(String what, int done, int total, Instant since) {
        double fraction = total == 0 ? 0 : (double) done / total;
        String line = String.format(
                Locale.ROOT,
                "%-34s %5d/%-5d %s %3.0f%%  elapsed %s",
                what,
                done,
                total,
                bar(fraction, 24),
                fraction * 100,
                clock(Duration.between(since, Instant.now())));
        show(List.of(line), what + (done * 20 / Math.max(total, 1)));
    }

    /** Forgets the drawn lines, so the next output starts below them. */
    public void done() {
        drawnLines = 0;
        lastContent = "";
        lastPrinted = 0;
    }

    public static String bar(double fraction, int width) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    public static String clock(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
