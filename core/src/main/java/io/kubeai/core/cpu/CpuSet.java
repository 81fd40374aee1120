package io.kubeai.core.cpu;

import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * An immutable set of logical CPU ids, written in the kernel's list format
 * ({@code cpuset.cpus}, {@code /sys/devices/system/node/node0/cpulist}): ascending ranges and
 * single ids separated by commas, {@code 0-3,8-11}; the empty set is the empty string.
 *
 * <p>Ids are 0..{@link #MAX_CPU_ID} (the kernel's largest {@code NR_CPUS} is 8192). Set
 * operations cost O(ids / 64); {@link #toString()} O(ids).
 */
public final class CpuSet {
    /** The largest CPU id accepted. */
    public static final int MAX_CPU_ID = 8191;

    public static final CpuSet EMPTY = new CpuSet(new BitSet());

    private final BitSet bits;

    private CpuSet(BitSet bits) {
        this.bits = bits;
    }

    public static CpuSet of(int... cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) {
            checkId(c);
            b.set(c);
        }
        return new CpuSet(b);
    }

    /** The ids {@code from..to}, both included. */
    public static CpuSet range(int from, int to) {
        checkId(from);
        checkId(to);
        if (from > to) {
            throw new IllegalArgumentException("empty range " + from + "-" + to);
        }
        BitSet b = new BitSet();
        b.set(from, to + 1);
        return new CpuSet(b);
    }

    /** A copy of {@code bits} as a CPU set. */
    public static CpuSet of(BitSet bits) {
        if (bits.length() > MAX_CPU_ID + 1) {
            throw new IllegalArgumentException("CPU id " + (bits.length() - 1) + " is beyond " + MAX_CPU_ID);
        }
        return new CpuSet((BitSet) bits.clone());
    }

    /**
     * Reads the kernel's list format. Surrounding white space and a trailing newline are ignored;
     * each element is an id or an ascending range {@code a-b}.
     *
     * @throws CpuFormatException naming the position of the first element that is not an id or a
     *     range, a range that descends, or an id beyond {@link #MAX_CPU_ID}
     */
    public static CpuSet parse(String text) {
        if (text == null) {
            throw new CpuFormatException("null", 0, "expected a CPU list such as 0-3,8-11");
        }
        BitSet b = new BitSet();
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return EMPTY;
        }
        int pos = start;
        while (pos <= end) {
            int comma = text.indexOf(',', pos);
            int elementEnd = comma < 0 || comma > end ? end : comma;
            String element = text.substring(pos, elementEnd).strip();
            if (element.isEmpty()) {
                throw new CpuFormatException(text, pos, "empty element; expected an id or a range a-b");
            }
            int dash = element.indexOf('-');
            if (dash < 0) {
                b.set(number(text, pos, element));
            } else {
                int from = number(text, pos, element.substring(0, dash).strip());
                int to = number(text, pos, element.substring(dash + 1).strip());
                if (from > to) {
                    throw new CpuFormatException(text, pos, "range " + element + " descends");
                }
                b.set(from, to + 1);
            }
            pos = elementEnd + 1;
        }
        return new CpuSet(b);
    }

    private static int number(String text, int pos, String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new CpuFormatException(text, pos, "\"" + s + "\" is not a CPU id (0.." + MAX_CPU_ID + ")");
        }
        int v = Integer.parseInt(s);
        if (v > MAX_CPU_ID) {
            throw new CpuFormatException(text, pos, "CPU id " + v + " is beyond " + MAX_CPU_ID);
        }
        return v;
    }

    private static void checkId(int c) {
        if (c < 0 || c > MAX_CPU_ID) {
            throw new IllegalArgumentException("CPU id " + c + " is not in 0.." + MAX_CPU_ID);
        }
    }

    public int size() {
        return bits.cardinality();
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    public boolean contains(int cpu) {
        return cpu >= 0 && bits.get(cpu);
    }

    public boolean containsAll(CpuSet other) {
        BitSet b = (BitSet) other.bits.clone();
        b.andNot(bits);
        return b.isEmpty();
    }

    public boolean intersects(CpuSet other) {
        return bits.intersects(other.bits);
    }

    public CpuSet union(CpuSet other) {
        if (other.isEmpty()) {
            return this;
        }
        BitSet b = (BitSet) bits.clone();
        b.or(other.bits);
        return new CpuSet(b);
    }

    public CpuSet intersect(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.and(other.bits);
        return new CpuSet(b);
    }

    public CpuSet minus(CpuSet other) {
        if (other.isEmpty() || !bits.intersects(other.bits)) {
            return this;
        }
        BitSet b = (BitSet) bits.clone();
        b.andNot(other.bits);
        return new CpuSet(b);
    }

    /** The lowest id; -1 when empty. */
    public int first() {
        return bits.nextSetBit(0);
    }

    /** The ids in ascending order. */
    public IntStream stream() {
        return bits.stream();
    }

    public int[] toArray() {
        return bits.stream().toArray();
    }

    /** A copy of the ids as a bit set. */
    public BitSet toBitSet() {
        return (BitSet) bits.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet other && bits.equals(other.bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }

    /** The kernel's list format: {@code 0-3,8-11}, {@code 5}, or {@code ""} when empty. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int from = bits.nextSetBit(0);
        while (from >= 0) {
            int to = bits.nextClearBit(from) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(from);
            if (to > from) {
                sb.append('-').append(to);
            }
            from = bits.nextSetBit(to + 1);
        }
        return sb.toString();
    }
}
