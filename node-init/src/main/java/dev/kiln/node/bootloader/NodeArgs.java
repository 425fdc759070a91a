package dev.kiln.node.bootloader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** node-init's arguments with the paths they name made absolute, so they mean the same in any working directory. */
final class NodeArgs {

    private static final Set<String> PATH_OPTIONS = Set.of("--root", "--download-ca");
    // A bare program name is looked up on PATH; only one with a directory part depends on the working directory.
    private static final Set<String> PROGRAM_OPTIONS = Set.of("--etcd", "--etcdctl");

    private NodeArgs() {
    }

    static List<String> absolute(List<String> args) {
        List<String> result = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            if (eq > 0 && arg.startsWith("--") && names(arg.substring(0, eq))) {
                result.add(arg.substring(0, eq + 1) + absolute(arg.substring(0, eq), arg.substring(eq + 1)));
            } else if (names(arg) && i + 1 < args.size()) {
                result.add(arg);
                result.add(absolute(arg, args.get(++i)));
            } else {
                result.add(arg);
            }
        }
        return List.copyOf(result);
    }

    private static boolean names(String option) {
        return PATH_OPTIONS.contains(option) || PROGRAM_OPTIONS.contains(option);
    }

    private static String absolute(String option, String value) {
        if (value.isEmpty() || (PROGRAM_OPTIONS.contains(option) && !value.contains("/"))) {
            return value;
        }
        return Path.of(value).toAbsolutePath().toString();
    }
}
