package dev.kiln.node.install;

import dev.kiln.machinery.release.ReleaseArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unpacks a release archive into a directory node-init can boot from ({@code ReleaseUnpacker ARCHIVE DIR}) and makes
 * its class archive there, as installing it into a boot slot would.
 */
public final class ReleaseUnpacker {

    private ReleaseUnpacker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ReleaseUnpacker ARCHIVE DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        try {
            ReleaseArchive.Contents contents = ReleaseArchive.unpack(Path.of(args[0]), dir);
            Files.writeString(dir.resolve(ReleaseArchive.VERSION_ENTRY), contents.version() + "\n");
        } catch (ReleaseArchive.InvalidRelease e) {
            System.err.println("unpack: " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
        ClassArchive.Outcome outcome = ClassArchive.create(new ReleaseLayout(dir));
        if (outcome instanceof ClassArchive.Failed failed) {
            System.err.println("unpack: " + failed.reason());
            System.exit(1);
        }
        System.out.println(dir.resolve(ReleaseArchive.JAR_ENTRY));
    }
}
