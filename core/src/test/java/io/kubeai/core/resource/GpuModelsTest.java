package io.kubeai.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GpuModelsTest {

    /** Everything a parsed spec says about itself. */
    record Parsed(boolean any, List<String> models, String text) {
        static Parsed of(GpuModels m) {
            return new Parsed(m.isAny(), m.models(), m.toString());
        }
    }

    record ParseCase(String name, String spec, Parsed want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ParseCase> specs() {
        Parsed any = new Parsed(true, List.of(), "any");
        return Stream.of(
                new ParseCase("null is any", null, any),
                new ParseCase("empty is any", "", any),
                new ParseCase("blank is any", "   ", any),
                new ParseCase("only separators is any", "||", any),
                new ParseCase("one model", "V100M16", new Parsed(false, List.of("V100M16"), "V100M16")),
                new ParseCase("a repeat as in the openb traces counts once", "V100M16|V100M32|V100M32",
                        new Parsed(false, List.of("V100M16", "V100M32"), "V100M16|V100M32")),
                new ParseCase("models are sorted", "V100M32|V100M16",
                        new Parsed(false, List.of("V100M16", "V100M32"), "V100M16|V100M32")),
                new ParseCase("empty entries and spaces are ignored", " |A10|| T4 ",
                        new Parsed(false, List.of("A10", "T4"), "A10|T4")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void parsesASpec(ParseCase c) {
        assertThat(Parsed.of(GpuModels.parse(c.spec))).isEqualTo(c.want);
    }

    @Test
    void anEmptySpecIsTheAnyConstant() {
        assertThat(GpuModels.parse("")).isSameAs(GpuModels.ANY);
        assertThat(GpuModels.of()).isSameAs(GpuModels.ANY);
    }

    @Test
    void orderAndRepeatsDoNotMatterToEquality() {
        GpuModels a = GpuModels.of("V100M32", "V100M16");
        GpuModels b = GpuModels.parse("V100M16|V100M32|V100M32");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(GpuModels.of("V100M16"));
    }

    record AllowsCase(String name, String spec, String nodeModel, boolean want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<AllowsCase> nodes() {
        return Stream.of(
                new AllowsCase("any accepts every model", "", "G2", true),
                new AllowsCase("any accepts a node without GPUs", "", "", true),
                new AllowsCase("a listed model is accepted", "V100M16|V100M32", "V100M32", true),
                new AllowsCase("an unlisted model is refused", "V100M16|V100M32", "A100", false),
                new AllowsCase("a repeated model is still accepted", "V100M16|V100M32|V100M32", "V100M32", true),
                new AllowsCase("a node without GPUs is refused by a list", "G2", "", false),
                new AllowsCase("a null node model is refused by a list", "G2", null, false),
                new AllowsCase("models are case-sensitive", "g2", "G2", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodes")
    void decidesWhetherANodeModelIsAcceptable(AllowsCase c) {
        assertThat(GpuModels.parse(c.spec).allows(c.nodeModel)).isEqualTo(c.want);
    }
}
