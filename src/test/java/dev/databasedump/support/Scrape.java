package dev.databasedump.support;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A Prometheus text-format scrape, and the value of one series in it. */
public record Scrape(String text) {

    /**
     * The value of the series {@code name} whose labels include each {@code label="value"} pair given (name, value,
     * name, value, ...); empty when there is no such series.
     */
    public Optional<Double> value(String name, String... labels) {
        List<String> wanted = labelPairs(labels);
        return text.lines()
                .filter(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> wanted.stream().allMatch(line::contains))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    /** The value of a series that must be there. */
    public double get(String name, String... labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no series " + name
                + Arrays.toString(labels) + " in the scrape:\n" + text));
    }

    private static List<String> labelPairs(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come as name, value pairs");
        }
        return java.util.stream.IntStream.range(0, labels.length / 2)
                .mapToObj(i -> labels[2 * i] + "=\"" + labels[2 * i + 1] + "\"").toList();
    }
}
