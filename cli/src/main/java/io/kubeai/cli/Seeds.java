package io.kubeai.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Parses {@code 42..51} or {@code 42,43,50} into a list of seeds. */
final class Seeds implements CommandLine.ITypeConverter<List<Long>> {
    @Override
    public List<Long> convert(String value) {
        return parse(value);
    }

    static List<Long> parse(String value) {
        List<Long> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int dots = p.indexOf("..");
            try {
                if (dots >= 0) {
                    long from = Long.parseLong(p.substring(0, dots).strip());
                    long to = Long.parseLong(p.substring(dots + 2).strip());
                    if (to < from) {
                        throw new CommandLine.TypeConversionException(
                                "seed range " + p + " runs backwards; write it as " + to + ".." + from);
                    }
                    if (to - from >= 10_000) {
                        throw new CommandLine.TypeConversionException("seed range " + p + " has more than 10000 seeds");
                    }
                    for (long s = from; s <= to; s++) {
                        out.add(s);
                    }
                } else {
                    out.add(Long.parseLong(p));
                }
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "\"" + p + "\" is not a seed; expected integers like 42..51 or 42,43,50");
            }
        }
        if (out.isEmpty()) {
            throw new CommandLine.TypeConversionException("no seeds given; expected e.g. 42..51");
        }
        return out;
    }
}
