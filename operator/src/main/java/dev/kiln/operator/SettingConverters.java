package dev.kiln.operator;

import dev.kiln.capi.ProviderType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters of the operator's flag values; {@link SettingsParser} puts the flag's name before a failure. */
final class SettingConverters {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private SettingConverters() {
    }

    /** Converts the trimmed text, or fails with "expected ..., got '<text as given>'". */
    abstract static class Checked<T> implements ITypeConverter<T> {

        private final String expected;
        private final Function<String, T> valueOrNull;

        Checked(String expected, Function<String, T> valueOrNull) {
            this.expected = expected;
            this.valueOrNull = valueOrNull;
        }

        @Override
        public final T convert(String given) {
            T value;
            try {
                value = valueOrNull.apply(given.trim());
            } catch (RuntimeException e) {
                value = null;
            }
            if (value == null) {
                throw new TypeConversionException("expected " + expected + ", got '" + given + "'");
            }
            return value;
        }
    }

    /** Not a Boolean: picocli re-reads a Boolean option's converted value as "true" or "false". */
    enum Switch {
        ON, OFF;

        boolean on() {
            return this == ON;
        }
    }

    static final class OnOff extends Checked<Switch> {
        OnOff() {
            super("on or off", text -> switch (text.toLowerCase(Locale.ROOT)) {
                case "on" -> Switch.ON;
                case "off" -> Switch.OFF;
                default -> null;
            });
        }
    }

    static final class Providers extends Checked<Set<ProviderType>> {
        Providers() {
            super("a comma-separated list of " + Arrays.stream(ProviderType.values()).map(ProviderType::flagName)
                    .collect(Collectors.joining(", ")), SettingConverters::providers);
        }
    }

    static final class Seconds extends Checked<Duration> {
        Seconds() {
            super("a whole number of seconds, at least 1", SettingConverters::seconds);
        }
    }

    static final class Port extends Checked<Integer> {
        Port() {
            super("a port number from 0 to 65535", SettingConverters::port);
        }
    }

    static final class Namespace extends Checked<String> {
        Namespace() {
            super("a namespace name (lowercase letters, digits and '-', at most 63)", whole(DNS_LABEL));
        }
    }

    static final class LabelValue extends Checked<String> {
        LabelValue() {
            super("a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or "
                    + "digit)", whole(LABEL_VALUE));
        }
    }

    static final class LeaseName extends Checked<String> {
        LeaseName() {
            super("a Lease name (lowercase DNS subdomain)", whole(DNS_SUBDOMAIN));
        }
    }

    static final class NonBlank extends Checked<String> {
        NonBlank() {
            super("a non-blank identity", text -> text.isEmpty() ? null : text);
        }
    }

    static final class Kubeconfig extends Checked<Path> {
        Kubeconfig() {
            super("a readable kubeconfig file", SettingConverters::readableFile);
        }
    }

    static final class WebUrl extends Checked<String> {
        WebUrl() {
            super("an http or https URL", SettingConverters::webUrl);
        }
    }

    private static Function<String, String> whole(Pattern pattern) {
        return text -> pattern.matcher(text).matches() ? text : null;
    }

    private static Duration seconds(String text) {
        long seconds = Long.parseLong(text);
        return seconds >= 1 ? Duration.ofSeconds(seconds) : null;
    }

    private static Integer port(String text) {
        int port = Integer.parseInt(text);
        return port >= 0 && port <= 65535 ? port : null;
    }

    private static Path readableFile(String text) {
        Path path = Path.of(text);
        return Files.isRegularFile(path) && Files.isReadable(path) ? path : null;
    }

    private static Set<ProviderType> providers(String text) {
        Set<ProviderType> providers = EnumSet.noneOf(ProviderType.class);
        for (String name : text.split(",", -1)) {
            Optional<ProviderType> provider = ProviderType.byFlagName(name.trim());
            if (provider.isEmpty()) {
                return null;
            }
            providers.add(provider.get());
        }
        return providers;
    }

    private static String webUrl(String text) {
        try {
            URI uri = new URI(text);
            boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            return web && uri.getHost() != null ? text : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
