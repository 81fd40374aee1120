package io.kubeai.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CpuSetTest {

    static Stream<Arguments> lists() {
        return Stream.of(
                Arguments.of("0-3,8-11", new int[] {0, 1, 2, 3, 8, 9, 10, 11}, "0-3,8-11"),
                Arguments.of("5", new int[] {5}, "5"),
                Arguments.of("0,1", new int[] {0, 1}, "0-1"),
                Arguments.of("3,1,2", new int[] {1, 2, 3}, "1-3"),
                Arguments.of("0-1,1-2", new int[] {0, 1, 2}, "0-2"),
                Arguments.of(" 0-3 , 16-19\n", new int[] {0, 1, 2, 3, 16, 17, 18, 19}, "0-3,16-19"),
                Arguments.of("", new int[] {}, ""),
                Arguments.of("8191", new int[] {8191}, "8191"));
    }

    @ParameterizedTest(name = "\"{0}\" is {2}")
    @MethodSource("lists")
    void readsAndWritesTheKernelListFormat(String text, int[] ids, String canonical) {
        CpuSet s = CpuSet.parse(text);
        assertThat(s.toArray()).containsExactly(ids);
        assertThat(s.toString()).isEqualTo(canonical);
        assertThat(CpuSet.parse(s.toString())).isEqualTo(s);
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("1,,2", 2, "empty element; expected an id or a range a-b"),
                Arguments.of("3-1", 0, "range 3-1 descends"),
                Arguments.of("0-3,x", 4, "\"x\" is not a CPU id (0..8191)"),
                Arguments.of("0-", 0, "\"\" is not a CPU id (0..8191)"),
                Arguments.of("-1", 0, "\"\" is not a CPU id (0..8191)"),
                Arguments.of("1,", 2, "empty element; expected an id or a range a-b"),
                Arguments.of("9000", 0, "CPU id 9000 is beyond 8191"),
                Arguments.of("0-10:2", 0, "\"10:2\" is not a CPU id (0..8191)"));
    }

    @ParameterizedTest(name = "\"{0}\" at {1}: {2}")
    @MethodSource("bad")
    void namesWhereAndWhyAListCannotBeRead(String text, int position, String problem) {
        assertThatThrownBy(() -> CpuSet.parse(text)).isInstanceOfSatisfying(CpuFormatException.class, e -> {
            assertThat(e.input()).isEqualTo(text);
            assertThat(e.position()).isEqualTo(position);
            assertThat(e.problem()).isEqualTo(problem);
        });
    }

    @Test
    void setOperations() {
        CpuSet a = CpuSet.parse("0-7");
        CpuSet b = CpuSet.parse("4-11");
        assertThat(a.union(b)).hasToString("0-11");
        assertThat(a.intersect(b)).hasToString("4-7");
        assertThat(a.minus(b)).hasToString("0-3");
        assertThat(a.intersects(b)).isTrue();
        assertThat(a.containsAll(CpuSet.range(2, 5))).isTrue();
        assertThat(a.containsAll(b)).isFalse();
        assertThat(a.size()).isEqualTo(8);
        assertThat(a.first()).isZero();
        assertThat(CpuSet.EMPTY.first()).isEqualTo(-1);
        assertThat(CpuSet.of(3, 1)).isEqualTo(CpuSet.parse("1,3"));
    }

    @Property
    void formattingThenParsingGivesTheSameSet(@ForAll @Size(max = 40) java.util.List<@IntRange(max = 300) Integer> ids) {
        CpuSet s = CpuSet.of(ids.stream().mapToInt(Integer::intValue).toArray());
        assertThat(CpuSet.parse(s.toString())).isEqualTo(s);
        assertThat(s.size()).isEqualTo((int) ids.stream().distinct().count());
    }
}
