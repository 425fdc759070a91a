package dev.kiln.machinery.clientconfig;

import dev.kiln.machinery.pki.CaKeyType;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.machinery.yaml.YamlMapping;
import dev.kiln.machinery.yaml.YamlProblems;
import dev.kiln.machinery.yaml.StrictUtf8;
import dev.kiln.machinery.yaml.YamlText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/** The client config ("kilnconfig"); contexts are kept sorted by name so output is deterministic. */
public record KilnConfig(String currentContext, Map<String, KilnContext> contexts) {

    public KilnConfig {
        currentContext = currentContext == null ? "" : currentContext;
        contexts = Collections.unmodifiableSortedMap(new TreeMap<>(contexts));
    }

    public static KilnConfig empty() {
        return new KilnConfig("", new TreeMap<>());
    }

    public static KilnConfig of(String contextName, KilnContext context) {
        return empty().withContext(contextName, context);
    }

    /** The context named by {@code context:}; throws naming the known contexts when it is missing. */
    public KilnContext current() {
        if (currentContext.isEmpty()) {
            throw new KilnConfigException(List.of("context: no current context is set" + known()));
        }
        KilnContext context = contexts.get(currentContext);
        if (context == null) {
            throw new KilnConfigException(
                    List.of("context: \"" + currentContext + "\" is not defined in contexts" + known()));
        }
        return context;
    }

    /** Adds or replaces a context and makes it current. */
    public KilnConfig withContext(String name, KilnContext context) {
        requireName(name);
        Objects.requireNonNull(context, "context");
        TreeMap<String, KilnContext> updated = new TreeMap<>(contexts);
        updated.put(name, context);
        return new KilnConfig(name, updated);
    }

    public KilnConfig withCurrentContext(String name) {
        return new KilnConfig(name, contexts);
    }

    /** Like talosctl config merge: clashing names get -1, -2...; the other's current context becomes current. */
    public KilnConfig merge(KilnConfig other) {
        TreeMap<String, KilnContext> merged = new TreeMap<>(contexts);
        Map<String, String> finalNames = new LinkedHashMap<>();
        for (Map.Entry<String, KilnContext> entry : other.contexts.entrySet()) {
            String name = entry.getKey();
            String target = name;
            for (int suffix = 1; isTakenByAnother(merged, target, entry.getValue()); suffix++) {
                target = name + "-" + suffix;
            }
            merged.put(target, entry.getValue());
            finalNames.put(name, target);
        }
        String current = other.currentContext.isEmpty()
                ? currentContext
                : finalNames.getOrDefault(other.currentContext, other.currentContext);
        return new KilnConfig(current, merged);
    }

    public String toYaml() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("context", currentContext);
        Map<String, Object> contextsYaml = new LinkedHashMap<>();
        contexts.forEach((name, context) -> contextsYaml.put(name, contextYaml(context)));
        document.put("contexts", contextsYaml);
        return YamlText.dump(document);
    }

    /** Parses and validates a kilnconfig, reporting every problem (including unknown keys) by path. */
    public static KilnConfig parse(String yaml) {
        YamlProblems problems = new YamlProblems();
        YamlMapping root = YamlMapping.parse(yaml, problems);
        String current = root.optionalString("context");
        YamlMapping contextsNode = root.optionalMapping("contexts");
        TreeMap<String, KilnContext> contexts = new TreeMap<>();
        for (String name : contextsNode.keys()) {
            KilnContext context = readContext(contextsNode.requiredMapping(name));
            if (context != null) {
                contexts.put(name, context);
            }
        }
        root.rejectUnknownKeys();
        if (!problems.isEmpty()) {
            throw new KilnConfigException(problems.list());
        }
        return new KilnConfig(current, contexts);
    }

    public static KilnConfig load(Path file) throws IOException {
        String text;
        try {
            text = StrictUtf8.decode(Files.readAllBytes(file), file.toString());
        } catch (IllegalArgumentException e) {
            throw new KilnConfigException("invalid kilnconfig " + file,
                    java.util.List.of(e.getMessage().substring(file.toString().length() + 2)));
        }
        try {
            return parse(text);
        } catch (KilnConfigException e) {
            throw new KilnConfigException("invalid kilnconfig " + file, e.problems());
        }
    }

    /** Writes atomically (same-directory temp file, fsync, rename) and readable by the owner only. */
    public void save(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp", ownerOnly(directory));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(toYaml().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static KilnContext readContext(YamlMapping node) {
        List<String> endpoints = node.stringList("endpoints");
        List<String> nodes = node.stringList("nodes");
        String ca = node.required("ca", "base64 PEM certificate",
                text -> checked(text, pem -> Pem.decodeCertificates(pem)));
        String crt = node.required("crt", "base64 PEM certificate",
                text -> checked(text, pem -> Pem.decodeCertificate(pem)));
        String key = node.required("key", "base64 PEM private key",
                text -> checked(text, pem -> Pem.decodePrivateKey(pem)));
        node.rejectUnknownKeys();
        if (!node.isPresent() || ca == null || crt == null || key == null) {
            return null;
        }
        X509Certificate certificate = Pem.decodeCertificate(crt);
        PrivateKey privateKey = Pem.decodePrivateKey(key);
        if (!CaKeyType.keysMatch(privateKey, certificate.getPublicKey())) {
            node.problem("key", "does not match the public key of " + node.pathOf("crt"));
            return null;
        }
        return new KilnContext(endpoints, nodes, ca, crt, key);
    }

    /** Decodes base64 to PEM text and proves it parses, keeping the PEM text itself. */
    private static String checked(String base64, Consumer<String> parser) {
        String pem = new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
        parser.accept(pem);
        return pem;
    }

    private static boolean isTakenByAnother(Map<String, KilnContext> contexts, String name, KilnContext context) {
        return contexts.containsKey(name) && !contexts.get(name).equals(context);
    }

    private static Map<String, Object> contextYaml(KilnContext context) {
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("endpoints", context.endpoints());
        yaml.put("nodes", context.nodes());
        yaml.put("ca", base64(context.ca()));
        yaml.put("crt", base64(context.crt()));
        yaml.put("key", base64(context.key()));
        return yaml;
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private String known() {
        return contexts.isEmpty()
                ? " (no contexts are defined)"
                : " (known contexts: " + String.join(", ", contexts.keySet()) + ")";
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("context name must not be blank");
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) {
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    // Makes the rename itself durable; not every platform can open a directory, which is fine.
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }
}
