package dev.databasedump.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The README and the pages of docs/: short where they must be, and every link and anchor between them good. */
class DocsTest {

    private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*\\]\\(([^)\\s]+)\\)|!\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(Path.of("README.md"));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** A page's text outside fenced code blocks, where links and headings are. */
    static List<String> prose(Path page) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(page)) {
            Matcher heading = Pattern.compile("^#{1,6} (.+)$").matcher(line);
            if (heading.matches()) {
                String slug = heading.group(1).toLowerCase(Locale.ROOT).replace("`", "")
                        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
                int times = seen.merge(slug, 1, Integer::sum);
                anchors.add(times == 1 ? slug : slug + "-" + (times - 1));
            }
        }
        return anchors;
    }

    @Test
    void should_keep_the_readme_to_two_hundred_lines_with_the_two_set_up_commands() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("README.md"));

        assertThat(readme).hasSizeLessThanOrEqualTo(200);
        assertThat(readme).anyMatch(line -> line.startsWith("bash scripts/quickstart "))
                .anyMatch(line -> line.startsWith("bash .ci/run "));
    }

    @Test
    void should_open_every_page_with_its_title_and_whom_it_is_for() throws IOException {
        for (Path page : pages().subList(1, pages().size())) {
            List<String> lines = Files.readAllLines(page);
            assertThat(lines.get(0)).as(page + " title").startsWith("# ");
            assertThat(lines.get(1)).as(page.toString()).isEmpty();
            assertThat(lines.get(2)).as(page + " opens with whom it is for").startsWith("For ");
        }
    }

    @Test
    void should_link_only_to_files_that_exist_and_to_anchors_their_headings_make() throws IOException {
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages()) {
            for (String line : prose(page)) {
                Matcher link = LINK.matcher(line);
                while (link.find()) {
                    String target = link.group(1) != null ? link.group(1) : link.group(2);
                    if (target.matches("^[a-z]+:.*")) {
                        continue;
                    }
                    links++;
                    String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                    Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                    if (!Files.exists(resolved)) {
                        broken.add(page + ": " + target + " (no such file)");
                    } else if (target.contains("#") && !anchors(resolved).contains(target.substring(
                            target.indexOf('#') + 1))) {
                        broken.add(page + ": " + target + " (no such heading)");
                    }
                }
            }
        }
        assertThat(links).as("links checked").isGreaterThan(50);
        assertThat(broken).isEmpty();
    }
}
