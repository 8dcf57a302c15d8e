package dev.picket.install;

import dev.picket.testing.Host;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus' own tool on the rules file: {@code promtool check rules} (syntax, PromQL, templates) and
 * {@code promtool test rules} with src/test/resources/install/picket-rules.test.yaml, in which every alert
 * fires in a scenario and stays silent in another. Needs the Debian package prometheus (.ci/run installs
 * it); without it the test skips, and fails under CI=true.
 */
class PromtoolTest {

    private static final Path ROOT = MonitoringQueries.repositoryRoot();
    private static final Path RULES = ROOT.resolve(MonitoringQueries.RULES);
    private static final Path UNIT_TESTS = ROOT.resolve("src/test/resources/install/picket-rules.test.yaml");

    record Run(int exit, String output) {
    }

    static Run promtool(Path dir, String... args) throws IOException, InterruptedException {
        Host.requireCommand("promtool");
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Path out = dir.resolve("promtool.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + args[0] + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void promtoolAcceptsTheRulesFile(@TempDir Path dir) throws Exception {
        Run run = promtool(dir, "check", "rules", RULES.toString());
        assertThat(run.exit()).as(run.output()).isZero();
        int rules = MonitoringQueries.rules(MonitoringQueries.readYaml(RULES)).size();
        assertThat(run.output()).contains("SUCCESS: " + rules + " rules found");
    }

    @Test
    void everyAlertFiresInItsScenarioAndStaysSilentWhereItShould(@TempDir Path dir) throws Exception {
        String tests = Files.readString(UNIT_TESTS);
        assertThat(tests).contains("  - RULES_FILE");
        Path file = dir.resolve("picket-rules.test.yaml");
        Files.writeString(file, tests.replace("RULES_FILE", RULES.toString()));
        Run run = promtool(dir, "test", "rules", file.toString());
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertOfTheRulesFileHasAFiringScenario() throws IOException {
        Set<String> alerts = new TreeSet<>();
        MonitoringQueries.rules(MonitoringQueries.readYaml(RULES)).stream().filter(MonitoringQueries.Rule::alert)
                .forEach(r -> alerts.add(r.name()));
        Set<String> firing = new TreeSet<>();
        Matcher m = Pattern.compile("ALERTS\\{alertname=\"([A-Za-z]+)\", alertstate=\"firing\"").matcher(Files.readString(UNIT_TESTS));
        while (m.find()) {
            firing.add(m.group(1));
        }
        assertThat(firing).as("alerts checked firing in " + UNIT_TESTS.getFileName()).isEqualTo(alerts);
    }
}
