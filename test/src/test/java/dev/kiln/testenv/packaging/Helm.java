package dev.kiln.testenv.packaging;

import dev.kiln.testenv.HackScript;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real helm binary through {@code hack/helm}, which fetches the pinned version on first use. */
final class Helm {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path CHART = REPO.resolve("helm/kiln");

    private Helm() {
    }

    /** @return helm's standard output; fails with its exit code and standard error when it fails */
    static String run(String... args) {
        return script("hack/helm", args);
    }

    /** Runs {@code hack/<name>} with the arguments, as {@link #run} does. */
    static String script(String path, String... args) {
        return HackScript.run(path, args);
    }

    /** {@code helm template kiln helm/kiln --namespace NAMESPACE} with {@code --set} pairs. */
    static RenderedManifests template(String namespace, String... sets) {
        List<String> args = new ArrayList<>(List.of("template", "kiln", CHART.toString(), "--namespace", namespace,
                "--include-crds"));
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        return RenderedManifests.parse(run(args.toArray(String[]::new)));
    }
}
