package dev.kiln.testenv;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The operator's Prometheus counters, read from its /metrics endpoint (port from the log's start line). */
public final class OperatorMetrics {

    private static final Pattern PORT = Pattern.compile("metrics on :(\\d+)");

    private OperatorMetrics() {
    }

    /** The sum of every series of {@code name} whose labels contain each of {@code labels} (e.g. reason="stale"). */
    public static double sum(OperatorProcess operator, String name, String... labels) throws IOException,
            InterruptedException {
        Matcher port = PORT.matcher(Files.readString(operator.log()));
        if (!port.find()) {
            throw new IllegalStateException("the operator log " + operator.log() + " names no metrics port");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        double total = 0;
        for (String line : response.body().split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
