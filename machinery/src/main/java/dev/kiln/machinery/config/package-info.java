/**
 * The Kiln machine config: per machine, one YAML document in the shape of the Talos v1alpha1 config, plus any typed
 * Talos documents, which Kiln keeps as written. Keys are held against a catalogue of Talos's key space
 * ({@code talos-v1alpha1-keys.txt}): a key Talos does not have is an error, a Talos key Kiln does not act on a warning.
 *
 * <p>Conventions shared by every record in this package:
 * <ul>
 *   <li>An absent optional section (a record such as {@link InstallSection}) is {@code null}.</li>
 *   <li>An absent list or map is empty, never {@code null}; records copy them into immutable collections.</li>
 *   <li>A YAML key whose value is {@code null} (for example {@code install:} with nothing after it) counts as
 *       absent.</li>
 *   <li>A section that is present but has no fields set stays present: {@code network: {}} reads as
 *       {@code new NetworkSection(null)} and is written back as {@code network: {}}.</li>
 *   <li>{@code crt}/{@code key} values are kept exactly as written: base64 of PEM text.</li>
 * </ul>
 *
 * <p>{@link dev.kiln.machinery.config.ConfigParser} reads YAML, {@link dev.kiln.machinery.config.ConfigValidator}
 * checks configs built in code, {@link dev.kiln.machinery.config.ConfigWriter} writes canonical YAML, and
 * {@link dev.kiln.machinery.config.ConfigPatcher} applies {@link dev.kiln.machinery.config.JsonPatch} and
 * {@link dev.kiln.machinery.config.StrategicMergePatch} documents to a config.
 */
package dev.kiln.machinery.config;
