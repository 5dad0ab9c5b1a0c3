package dev.databasedump.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TableFilterTest {

    @Test
    void should_take_every_table_when_nothing_is_included_explicitly() {
        assertThat(TableFilter.all().accepts("public", "anything")).isTrue();
    }

    @Test
    void should_match_globs_on_the_name_or_the_qualified_name() {
        TableFilter filter = new TableFilter(List.of("audit_*", "public.cases"), List.of("*_archive"));

        assertThat(filter.accepts("public", "audit_log")).isTrue();
        assertThat(filter.accepts("public", "cases")).isTrue();
        assertThat(filter.accepts("app", "cases")).isFalse();
        assertThat(filter.accepts("public", "audit_archive")).isFalse();
        assertThat(filter.accepts("public", "clients")).isFalse();
    }

    @Test
    void should_treat_regex_characters_in_names_literally() {
        TableFilter filter = new TableFilter(List.of("a.b", "x?"), List.of());

        assertThat(filter.accepts("public", "a.b")).isTrue();
        assertThat(filter.accepts("public", "aXb")).isFalse();
        assertThat(filter.accepts("public", "xy")).isTrue();
    }
}
