package io.kubeai.core.config;

import io.kubeai.core.window.QueueWindow;
import java.util.Objects;

/**
 * A queue's time window as its owner wrote it: what it does to the queue while open, and whether
 * a closing also evicts what runs in the queue ({@code evictRunning}, only with {@code Close}; the
 * evictions are budgeted by {@code stagger.closingEvictions}).
 */
public record QueueWindowRule(QueueWindow window, boolean evictRunning) {
    public QueueWindowRule {
        Objects.requireNonNull(window, "window");
        if (evictRunning && !window.closed()) {
            throw new IllegalArgumentException("only a closing window evicts");
        }
    }

    /** In words, for status and events: {@code Close daily 08:00–20:00 Asia/Shanghai}. */
    public String describe() {
        if (window.closed()) {
            return "Close " + window.window() + (evictRunning ? " (evicting running work)" : "");
        }
        return "Scale min ×" + scale(window.minScale()) + ", max ×" + scale(window.maxScale()) + " " + window.window();
    }

    private static String scale(double f) {
        return f == Math.rint(f) ? String.valueOf((long) f) : String.valueOf(f);
    }
}
