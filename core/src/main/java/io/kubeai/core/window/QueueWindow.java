package io.kubeai.core.window;

import java.util.Objects;

/**
 * What a time window does to a queue while it is open: scale its {@code min} and {@code max}
 * (development queues larger by day), or close it (no admissions; what runs keeps running
 * unless the closing evicts it). Outside every window the queue is as configured.
 */
public record QueueWindow(TimeWindow window, double minScale, double maxScale, boolean closed) {
    public QueueWindow {
        Objects.requireNonNull(window, "window");
        if (!(minScale >= 0) || !(maxScale >= 0)) {
            throw new IllegalArgumentException("window scales must not be negative: min " + minScale + ", max " + maxScale);
        }
    }

    public static QueueWindow scale(TimeWindow w, double minScale, double maxScale) {
        return new QueueWindow(w, minScale, maxScale, false);
    }

    public static QueueWindow closed(TimeWindow w) {
        return new QueueWindow(w, 1, 1, true);
    }
}
