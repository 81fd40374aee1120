package io.kubeai.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * One time window of a {@link Queue}: while it is open, the queue's min and max are scaled, or
 * the queue is closed to admissions. The first open window of a queue applies. Read by
 * {@link CrdConversions#windows}; docs/staggering.md explains each field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueWindowSpec {
    @JsonPropertyDescription("Days the window opens on: Mon..Sun (or full names) and ranges such as Mon-Fri. "
            + "Empty: every day. A window past midnight belongs to the day it opens.")
    private List<String> days;

    @JsonPropertyDescription("Local time the window opens, HH:MM.")
    @Required
    @Pattern("^([01]?[0-9]|2[0-3]):[0-5][0-9]$")
    private String start;

    @JsonPropertyDescription("Local time the window ends, HH:MM; not after start: the next day; 24:00 is midnight.")
    @Required
    @Pattern("^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$")
    private String end;

    @JsonPropertyDescription("The time zone start and end are local to: an IANA name (Asia/Shanghai; daylight saving "
            + "is followed), UTC, or an offset such as +08:00.")
    @Required
    private String timeZone;

    @JsonPropertyDescription("Scale: min and max are multiplied by minScale and maxScale while the window is open. "
            + "Close: nothing is admitted to the queue (or its children) while the window is open.")
    @Required
    private String action;

    @JsonPropertyDescription("Scale only: the factor min is multiplied by (default 1).")
    @Min(0)
    private Double minScale;

    @JsonPropertyDescription("Scale only: the factor max is multiplied by (default 1).")
    @Min(0)
    private Double maxScale;

    @JsonPropertyDescription("Close only: when the window opens and so closes the queue, also evict what runs in it, a few workloads per "
            + "interval (the policy's stagger.closingEvictions), through the Eviction API. Default false: what runs "
            + "keeps running.")
    private Boolean evictRunning;

    public List<String> getDays() {
        return days;
    }

    public void setDays(List<String> days) {
        this.days = days;
    }

    public String getStart() {
        return start;
    }

    public void setStart(String start) {
        this.start = start;
    }

    public String getEnd() {
        return end;
    }

    public void setEnd(String end) {
        this.end = end;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }

    public Double getMinScale() {
        return minScale;
    }

    public void setMinScale(Double minScale) {
        this.minScale = minScale;
    }

    public Double getMaxScale() {
        return maxScale;
    }

    public void setMaxScale(Double maxScale) {
        this.maxScale = maxScale;
    }

    public Boolean getEvictRunning() {
        return evictRunning;
    }

    public void setEvictRunning(Boolean evictRunning) {
        this.evictRunning = evictRunning;
    }
}
