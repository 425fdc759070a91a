package dev.kiln.testenv.packaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testenv.rbac.ApiRequest;
import dev.kiln.testenv.rbac.OperatorRequestLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The operator API request logs the end-to-end scenarios leave under target/scenarios (see OperatorRequestLog). */
final class RecordedRequests {

    static final Path SCENARIOS = Path.of("target/scenarios").toAbsolutePath();

    private RecordedRequests() {
    }

    /** Every scenario's {@link OperatorRequestLog#FILE_NAME}; fails when no scenario left one. */
    static List<Path> allScenarioLogs() throws IOException {
        List<Path> logs;
        try (Stream<Path> dirs = Files.isDirectory(SCENARIOS) ? Files.list(SCENARIOS) : Stream.empty()) {
            logs = dirs.map(d -> d.resolve(OperatorRequestLog.FILE_NAME)).filter(Files::isRegularFile).sorted().toList();
        }
        assertFalse(logs.isEmpty(), "no " + OperatorRequestLog.FILE_NAME + " under " + SCENARIOS
                + ": the scenario tests write them; run them first (mvn verify), or skip this check with -DskipITs");
        return logs;
    }

    static SortedSet<ApiRequest> read(List<Path> logs) throws IOException {
        SortedSet<ApiRequest> requests = new TreeSet<>();
        for (Path log : logs) {
            assertTrue(Files.isRegularFile(log), log + " is missing: its scenario writes it; run it first (mvn verify)");
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            assertFalse(lines.isEmpty(), log + " is empty: the operator made no request in that scenario?");
            lines.forEach(line -> requests.add(ApiRequest.fromLine(line)));
        }
        return requests;
    }

    /** {@code verb group/resource}, the key the exception lists use; the core group is written {@code core}. */
    static String key(RbacPolicy.Grant grant) {
        return grant.verb() + " " + (grant.group().isEmpty() ? "core" : grant.group()) + "/" + grant.resource();
    }

    static String key(ApiRequest request) {
        return request.verb() + " " + (request.group().isEmpty() ? "core" : request.group()) + "/"
                + request.ruleResource();
    }
}
