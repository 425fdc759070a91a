package dev.kiln.machinery.yaml;

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

    /**
     * Dumps a plain tree in block style without anchors, keeping map order. The YAML 1.1 resolver quotes more strings
     * than Kiln's loaders need (yes, on, 012), which keeps the output unambiguous for every YAML reader.
     */
    public static String dump(Object document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        options.setDereferenceAliases(true);
        return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options, new Resolver())
                .dump(document);
    }

    private static final class StringsOnlyResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            // No implicit types: every plain scalar resolves to a string.
        }
    }
}
