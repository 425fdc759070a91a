package dev.kiln.machinery.yaml;

import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/** Loads and dumps the small YAML documents Kiln keeps (secrets bundles, client configs). */
public final class YamlText {

    private YamlText() {
    }

    /** Every plain scalar stays a string so tokens and ports never turn into numbers; throws YAMLException. */
    public static Object load(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        DumperOptions unused = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(unused), unused, options,
                new StringsOnlyResolver());
        return yaml.load(text);
    }

    /** Dumps in block style, keeping map order; ambiguous strings are quoted so other parsers read strings. */
    public static String dump(Map<String, ?> document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(new Representer(options), options).dump(document);
    }

    private static final class StringsOnlyResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            // No implicit types: every plain scalar resolves to a string.
        }
    }
}
