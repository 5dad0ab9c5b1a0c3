package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.util.Map;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A step that fails in a way nobody foresaw (a bug, a document we cannot read) still answers one line naming the step
 * and the dump, never Camel's wrapping or a class name; the operator gets the whole exception in the log, once. In each
 * route, the step that reads its rows is made to throw what the reference check once threw.
 */
class UnforeseenFailureTest extends DumpIntegrationTest {

    private static final String UNFORESEEN = "No ObjectCodec defined for parser, needed for deserialization";

    @BeforeEach
    void table() {
        db.execute("CREATE TABLE cases (id int PRIMARY KEY, title text)", "INSERT INTO cases VALUES (1, 'one')");
    }

    @Test
    void should_answer_a_dump_that_failed_unforeseen_with_one_line_naming_the_step_and_the_dump() throws Exception {
        Failure failure = failing(settings(), "database-dump", "exportPiece", app -> app.dump());

        assertThat(failure.line()).matches("dumping dumps/full-dump-[0-9T.]+Z\\.json failed while reading the tables: "
                + UNFORESEEN);
        assertOneLineForCallersAndTheDetailForTheOperator(failure);
        assertNothingLeftBehind();
    }

    @Test
    void should_answer_a_verification_that_failed_unforeseen_with_one_line_naming_the_step_and_the_dump()
            throws Exception {
        String key = dump().key();

        Failure failure = failing(settings(), "database-verify", "check", app -> app.verify(key));

        assertThat(failure.line()).isEqualTo("verifying " + key + " failed while checking the rows: " + UNFORESEEN);
        assertOneLineForCallersAndTheDetailForTheOperator(failure);
    }

    @Test
    void should_answer_a_restore_that_failed_unforeseen_with_one_line_naming_the_step_and_the_dump()
            throws Exception {
        String key = dump().key();
        try (TestDatabase target = TestDatabase.create()) {
            target.execute("CREATE TABLE cases (id int PRIMARY KEY, title text)");
            Map<String, String> settings = settings();
            settings.put("dump.restore.db.url", target.url());

            Failure failure = failing(settings, "database-restore", "load", app -> app.restore(key));

            assertThat(failure.line()).isEqualTo("restoring " + key + " failed while loading the rows of cases: "
                    + UNFORESEEN);
            assertOneLineForCallersAndTheDetailForTheOperator(failure);
            assertThat(target.count("SELECT count(*) FROM cases")).isZero();
        }
    }

    private static void assertOneLineForCallersAndTheDetailForTheOperator(Failure failure) {
        assertThat(failure.line()).doesNotContain("\n", "Multicast", "Exchange[", "Caused by", "Exception",
                "java.", "dev.databasedump");
        assertThat(failure.log()).contains("\tat ").containsOnlyOnce("java.lang.IllegalStateException: " + UNFORESEEN);
        assertThat(failure.log().lines().filter(line -> line.startsWith("ERROR") && line.contains(failure.line())))
                .hasSize(1);
    }

    /** What the caller and the log saw of a run whose {@code beanMethod} step was made to throw the unforeseen. */
    private record Failure(String line, String log) {
    }

    private static String routeOf(NamedNode node) {
        NamedNode route = node;
        while (route.getParent() != null) {
            route = route.getParent();
        }
        return route.getId();
    }

    private Failure failing(Map<String, String> settings, String routeId, String beanMethod,
            Function<DumpApplication, String> run) throws Exception {
        InterceptStrategy throwing = new InterceptStrategy() {
            @Override
            public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                    Processor next) {
                if (definition instanceof BeanDefinition bean && beanMethod.equals(bean.getMethod())
                        && routeId.equals(definition.getParent() == null ? null : routeOf(definition))) {
                    // The step does its work, then fails as the reference check once did in the middle of its.
                    return exchange -> {
                        target.process(exchange);
                        throw new IllegalStateException(UNFORESEEN);
                    };
                }
                return target;
            }
        };
        try (DumpApplication app = DumpApplication.start(settings, Map.of("unforeseen", throwing));
             CapturedLogs logs = new CapturedLogs()) {
            Throwable thrown = catchThrowable(() -> run.apply(app));
            assertThat(thrown).as("the run should have failed").isNotNull();
            Throwable caller = thrown.getCause();
            assertThat(caller).isInstanceOf(DumpFailedException.class);
            assertThat(StoredDump.keys(s3.client(), bucket)).noneMatch(key -> key.contains("restore"));
            return new Failure(caller.getMessage(), logs.text());
        }
    }
}
