package io.kubeai.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuTopologyTest {

    @Test
    void aSpreadMachineNumbersSiblingsACoreCountApart() {
        CpuTopology t = CpuTopology.uniform(2, 2, 4, 2, SiblingNumbering.SPREAD);
        assertThat(t).hasToString("2 sockets, 4 NUMA nodes, 16 cores, 32 CPUs");
        assertThat(t.threadsPerCore()).isEqualTo(2);
        assertThat(t.cpusInCore(0)).hasToString("0,16");
        assertThat(t.cpusInCore(15)).hasToString("15,31");
        assertThat(t.cpusInNuma(0)).hasToString("0-3,16-19");
        assertThat(t.cpusInNuma(3)).hasToString("12-15,28-31");
        assertThat(t.cpusInSocket(1)).hasToString("8-15,24-31");
        assertThat(t.coresInNuma(1)).containsExactly(4, 5, 6, 7);
        assertThat(t.numaNodesInSocket(1)).containsExactly(2, 3);
        assertThat(t.socketOfNuma(2)).isEqualTo(1);
        assertThat(t.numaOf(20)).isEqualTo(1);
        assertThat(t.coreOf(20)).isEqualTo(4);
        assertThat(t.numaOf(99)).isEqualTo(-1);
        assertThat(t.numaNodesOf(CpuSet.parse("3,20"))).containsExactly(0, 1);
    }

    @Test
    void anAdjacentMachineNumbersSiblingsNextToEachOther() {
        CpuTopology t = CpuTopology.uniform(2, 2, 4, 2, SiblingNumbering.ADJACENT);
        assertThat(t.cpusInCore(0)).hasToString("0-1");
        assertThat(t.cpusInNuma(1)).hasToString("8-15");
        assertThat(t.wholeCoresIn(CpuSet.parse("0-2"))).containsExactly(0);
    }

    @Test
    void numaNodesOfDifferentSizes() {
        CpuTopology t = CpuTopology.ofNumaNodes(new int[] {8, 4}, new int[] {0, 0}, 2, SiblingNumbering.SPREAD);
        assertThat(t).hasToString("1 socket, 2 NUMA nodes, 6 cores, 12 CPUs");
        assertThat(t.cpusInNuma(0)).hasToString("0-3,6-9");
        assertThat(t.cpusInNuma(1)).hasToString("4-5,10-11");
        assertThatThrownBy(() -> CpuTopology.ofNumaNodes(new int[] {7}, new int[] {0}, 2, SiblingNumbering.SPREAD))
                .hasMessage("NUMA node 0 has 7 CPUs, not a whole number of cores of 2 threads");
    }

    @Test
    void aCoreCannotSpanNumaNodesNorACpuBeGivenTwice() {
        assertThatThrownBy(() -> CpuTopology.builder().cpu(0, 0, 0, 0).cpu(1, 0, 1, 0).build())
                .hasMessage("core 0 is in NUMA nodes 0 and 1");
        assertThatThrownBy(() -> CpuTopology.builder().cpu(0, 0, 0, 0).cpu(0, 1, 0, 0))
                .hasMessage("CPU 0 given twice");
        assertThatThrownBy(() -> CpuTopology.builder().cpu(0, 0, 0, 0).cpu(1, 1, 0, 1).build())
                .hasMessage("NUMA node 0 is in sockets 0 and 1");
    }
}
