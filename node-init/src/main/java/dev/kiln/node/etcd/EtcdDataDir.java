package dev.kiln.node.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an etcd data directory holds, as etcd 3.4 itself judges it: a member exists once {@code member/wal} holds a
 * {@code .wal} file. A {@code member/} directory without one is a start that never got as far as its WAL.
 */
public record EtcdDataDir(boolean memberDir, boolean wal) {

    public static EtcdDataDir inspect(Path dataDir) {
        Path member = dataDir.resolve("member");
        return new EtcdDataDir(Files.isDirectory(member), holdsWal(member.resolve("wal")));
    }

    private static boolean holdsWal(Path walDir) {
        if (!Files.isDirectory(walDir)) {
            return false;
        }
        try (var files = Files.list(walDir)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".wal"));
        } catch (IOException e) {
            return false;
        }
    }

    public boolean empty() {
        return !memberDir && !wal;
    }
}
