package dev.kiln.kilnctl.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.kilnctl.Kilnctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

class OutputFormatTest {

    @Test
    void namesAreTakenInAnyCase() {
        OutputFormat.Converter converter = new OutputFormat.Converter();
        assertEquals(OutputFormat.JSON, converter.convert("json"));
        assertEquals(OutputFormat.YAML, converter.convert("YAML"));
        assertEquals(OutputFormat.TABLE, converter.convert("table"));
    }

    @Test
    void anUnknownFormatIsRefusedListingTheKnownOnes() {
        TypeConversionException refused = assertThrows(TypeConversionException.class,
                () -> new OutputFormat.Converter().convert("xml"));
        assertEquals("'xml' is not one of table, json, yaml", refused.getMessage());
    }

    @Test
    void everyReadCommandTakesDashO() {
        for (String[] command : new String[][] {{"version"}, {"services"}, {"etcd", "members"},
                {"etcd", "status"}, {"etcd", "alarm", "list"}}) {
            StringWriter err = new StringWriter();
            CommandLine cli = Kilnctl.commandLine();
            cli.setErr(new PrintWriter(err, true));
            String[] args = new String[command.length + 2];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "-o";
            args[command.length + 1] = "xml";
            assertEquals(2, cli.execute(args), String.join(" ", command));
            assertTrue(err.toString().contains("--output") && err.toString().contains("'xml' is not one of"),
                    String.join(" ", command) + ": " + err);
        }
    }
}
