package io.kubeai.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CpuTopologySpecTest {

    @Test
    void readsTheAnnotationForm() {
        CpuTopologySpec s = CpuTopologySpec.parse("sockets=2,numa=2,cores=4,threads=2");
        assertThat(s).isEqualTo(new CpuTopologySpec(2, 2, 4, 2, SiblingNumbering.SPREAD));
        assertThat(s.cpuCount()).isEqualTo(32);
        assertThat(s.cpusPerNuma()).isEqualTo(8);
        assertThat(s.topology()).isEqualTo(CpuTopology.uniform(2, 2, 4, 2, SiblingNumbering.SPREAD));
        assertThat(s).hasToString("sockets=2,numa=2,cores=4,threads=2");
        assertThat(CpuTopologySpec.parse(" threads=1, cores=8 ,numa=1,sockets=1,siblings=adjacent"))
                .hasToString("sockets=1,numa=1,cores=8,threads=1,siblings=adjacent");
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("sockets=2,numa=2,cores=4", 24, "missing threads=<n>"),
                Arguments.of("sockets=2,numa=2,cores=4,threads=2,dies=1", 35,
                        "unknown key \"dies\"; expected sockets, numa, cores, threads and optionally siblings"),
                Arguments.of("sockets=2,sockets=2", 10, "\"sockets\" given twice"),
                Arguments.of("sockets=0,numa=1,cores=1,threads=1", 0, "sockets=\"0\" is not a count from 1 to 9999"),
                Arguments.of("sockets=2,numa=two,cores=4,threads=2", 10, "numa=\"two\" is not a count from 1 to 9999"),
                Arguments.of("sockets=1,numa=1,cores=4,threads=2,siblings=odd", 35,
                        "siblings=\"odd\"; expected spread or adjacent"),
                Arguments.of("sockets=8,numa=8,cores=100,threads=2", 0, "more than 8192 logical CPUs"),
                Arguments.of("", 0,
                        "expected sockets=<n>,numa=<n per socket>,cores=<n per NUMA node>,threads=<n per core>"));
    }

    @ParameterizedTest(name = "\"{0}\": {2}")
    @MethodSource("bad")
    void namesWhatIsWrongAndWhere(String text, int position, String problem) {
        assertThatThrownBy(() -> CpuTopologySpec.parse(text)).isInstanceOfSatisfying(CpuFormatException.class, e -> {
            assertThat(e.problem()).isEqualTo(problem);
            assertThat(e.position()).isEqualTo(position);
        });
    }
}
