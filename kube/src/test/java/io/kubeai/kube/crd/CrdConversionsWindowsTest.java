package io.kubeai.kube.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.config.QueueWindowRule;
import io.kubeai.core.window.QueueWindow;
import io.kubeai.core.window.TimeWindow;
import io.kubeai.kube.InvalidObjectException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdConversionsWindowsTest {

    static QueueWindowSpec window(String start, String end, String zone, String action) {
        QueueWindowSpec w = new QueueWindowSpec();
        w.setStart(start);
        w.setEnd(end);
        w.setTimeZone(zone);
        w.setAction(action);
        return w;
    }

    static Queue queue(String name, List<QueueWindowSpec> windows) {
        Queue q = new Queue();
        q.getMetadata().setName(name);
        QueueResourceSpec s = new QueueResourceSpec();
        s.setWindows(windows);
        q.setSpec(s);
        return q;
    }

    @Test
    void aQueueWithoutWindowsHasNone() {
        assertThat(CrdConversions.windows(queue("q", null))).isEmpty();
        Queue bare = new Queue();
        bare.getMetadata().setName("bare");
        assertThat(CrdConversions.windows(bare)).isEmpty();
    }

    @Test
    void windowsBecomeCoreWindowsInOrder() {
        QueueWindowSpec day = window("08:00", "20:00", "Asia/Shanghai", "Scale");
        day.setDays(List.of("Mon-Fri"));
        day.setMinScale(2.0);
        day.setMaxScale(2.0);
        QueueWindowSpec night = window("22:00", "06:00", "Asia/Shanghai", "Close");
        night.setEvictRunning(true);
        ZoneId sh = ZoneId.of("Asia/Shanghai");
        assertThat(CrdConversions.windows(queue("dev", List.of(day, night)))).containsExactly(
                new QueueWindowRule(QueueWindow.scale(new TimeWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                        LocalTime.of(8, 0), LocalTime.of(20, 0), sh), 2, 2), false),
                new QueueWindowRule(QueueWindow.closed(TimeWindow.daily(LocalTime.of(22, 0), LocalTime.of(6, 0), sh)), true));
    }

    @Test
    void badWindowsNameTheQueueAndEveryFieldPath() {
        QueueWindowSpec ok = window("08:00", "20:00", "UTC", "Close");
        QueueWindowSpec bad = window("25:00", "20:00", "Asia/Peking", "Close");
        bad.setMinScale(0.5);
        assertThatThrownBy(() -> CrdConversions.windows(queue("team-dev", List.of(ok, bad))))
                .isInstanceOf(InvalidObjectException.class)
                .hasMessage("queue team-dev spec.windows[1].start: \"25:00\" is not a time of day; expected HH:MM from "
                        + "00:00 to 23:59, quoted in YAML; spec.windows[1].timeZone: \"Asia/Peking\" is not a time zone; "
                        + "use an IANA name such as Asia/Shanghai, UTC, or an offset such as +08:00; "
                        + "spec.windows[1].minScale: a Close window closes the queue; it scales nothing");
    }
}
