package dev.kiln.node.pid1;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.kiln.node.bootloader.Bootloader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine's init, PID 1 in the boot image: mounts the kernel file systems, loads the drivers the image lists,
 * configures the network from the kernel command line, mounts the node's disk, lets the bootloader choose the slot
 * and record the boot in META, then replaces itself with node-init from that slot by execve(2), so node-init is PID 1
 * ({@link AsPid1}). Refuses to run as any other PID; reboots when anything before the execve fails.
 * Kernel command line: {@code kiln.ip=ADDR/PREFIX [kiln.if=eth0] [kiln.disk=/dev/vda] [kiln.port=50000]
 * [kiln.hostname=kiln-node]}.
 */
public final class Init {

    static final Path MODULES_LIST = Path.of("/kiln/modules.list");
    static final Path DISK_MOUNT = Path.of("/var/kiln");
    static final Path DISTRIBUTION = Path.of("/kiln/node-init.jar");
    /** JNA unpacks its native part into the temp directory: /run is the writable tmpfs init mounted. */
    static final List<String> NODE_INIT_OPTIONS = List.of("-Djava.io.tmpdir=/run", "-Djna.nosys=true");

    private Init() {
    }

    public static void main(String[] args) {
        if (Libc.C.getpid() != 1) {
            System.err.println("init: not PID 1 (pid " + ProcessHandle.current().pid() + "); refusing to act as init");
            System.exit(2);
        }
        try {
            mountKernelFileSystems();
            Map<String, String> cmdline = KernelCommandLine.parse(Files.readString(Path.of("/proc/cmdline")));
            String hostname = cmdline.getOrDefault("kiln.hostname", "kiln-node");
            Libc.C.sethostname(hostname, hostname.length());
            loadModules();
            String ip = NetworkSetup.configure(cmdline);
            mountDisk(cmdline.getOrDefault("kiln.disk", "/dev/vda"));
            String listen = ip + ":" + cmdline.getOrDefault("kiln.port", "50000");
            say("booting node-init on " + listen);
            Bootloader.Launch launch = Bootloader.parse(new String[] {"--distribution", DISTRIBUTION.toString(), "--",
                    "--root", DISK_MOUNT.toString(), "--listen", listen}).withLaunchOptions(NODE_INIT_OPTIONS).prepare();
            ExecCommand exec = ExecCommand.of(launch, System.getenv());
            if (exec.directory().isPresent() && Libc.C.chdir(exec.directory().get().toString()) != 0) {
                say("chdir " + exec.directory().get() + ": " + Libc.C.strerror(Native.getLastError())
                        + "; node-init runs without its class archive");
            }
            say("replacing init with node-init: " + String.join(" ", exec.argv()));
            Libc.C.execve(exec.path(), exec.argv().toArray(String[]::new), exec.environment().toArray(String[]::new));
            say("execve " + exec.path() + ": " + Libc.C.strerror(Native.getLastError()));
        } catch (Exception | Error e) {
            say("init failed: " + e);
            e.printStackTrace();
        }
        KernelPower.perform(PowerAction.REBOOT);
    }

    private static void mountKernelFileSystems() throws IOException {
        mount("proc", "/proc", "proc", "");
        mount("sysfs", "/sys", "sysfs", "");
        mount("devtmpfs", "/dev", "devtmpfs", "mode=0755");
        mount("tmpfs", "/run", "tmpfs", "mode=0755");
    }

    private static void loadModules() throws IOException {
        if (!Files.isRegularFile(MODULES_LIST)) {
            return;
        }
        for (String line : Files.readAllLines(MODULES_LIST, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int fd = Libc.C.open(line.strip(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("module " + line + ": " + Libc.C.strerror(Native.getLastError()));
            }
            long result = Libc.C.syscall(Libc.SYS_FINIT_MODULE, fd, "", 0);
            int errno = Native.getLastError();
            Libc.C.close(fd);
            if (result != 0 && errno != 17) { // EEXIST: built in or loaded already
                throw new IOException("module " + line + ": " + Libc.C.strerror(errno));
            }
        }
    }

    private static void mountDisk(String device) throws IOException, InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(Path.of(device)); i++) {
            Thread.sleep(50);
        }
        Files.createDirectories(DISK_MOUNT);
        mount(device, DISK_MOUNT.toString(), "ext4", "");
    }

    static void mount(String source, String target, String type, String data) throws IOException {
        Files.createDirectories(Path.of(target));
        if (Libc.C.mount(source, target, type, 0, data) != 0) {
            throw new IOException("mount " + type + " " + source + " on " + target + ": "
                    + Libc.C.strerror(Native.getLastError()));
        }
    }

    static void say(String message) {
        System.out.println("init: " + message);
        System.out.flush();
    }

    /** Reads the kernel command line's {@code key=value} words. */
    static final class KernelCommandLine {
        static Map<String, String> parse(String line) {
            Map<String, String> values = new java.util.HashMap<>();
            for (String word : line.strip().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    values.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
            return values;
        }
    }

    /** Address and link state through the classic interface ioctls (the kernel has no IP autoconfiguration). */
    static final class NetworkSetup {
        static String configure(Map<String, String> cmdline) throws IOException {
            String spec = Optional.ofNullable(cmdline.get("kiln.ip"))
                    .orElseThrow(() -> new IOException("kernel command line: kiln.ip=ADDR/PREFIX is required"));
            String[] parts = spec.split("/");
            InetAddress address = InetAddress.getByName(parts[0]);
            int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : 24;
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            String device = cmdline.getOrDefault("kiln.if", "eth0");
            int fd = Libc.C.socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            if (fd < 0) {
                throw new IOException("socket: " + Libc.C.strerror(Native.getLastError()));
            }
            try {
                up(fd, "lo");
                for (int i = 0; i < 100 && !Files.exists(Path.of("/sys/class/net", device)); i++) {
                    Thread.sleep(50);
                }
                ioctl(fd, device, Libc.SIOCSIFADDR, address.getAddress(), "address " + spec);
                byte[] maskBytes = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
                ioctl(fd, device, Libc.SIOCSIFNETMASK, maskBytes, "netmask /" + prefix);
                up(fd, device);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + device);
            } finally {
                Libc.C.close(fd);
            }
            say("network: " + device + " " + spec);
            return parts[0];
        }

        private static Memory ifreq(String device) {
            Memory ifreq = new Memory(40);
            ifreq.clear();
            byte[] name = device.getBytes(StandardCharsets.US_ASCII);
            ifreq.write(0, name, 0, Math.min(name.length, 15));
            return ifreq;
        }

        private static void ioctl(int fd, String device, int request, byte[] ipv4, String what) throws IOException {
            Memory ifreq = ifreq(device);
            ifreq.setShort(16, (short) Libc.AF_INET); // struct sockaddr_in at offset 16
            ifreq.write(20, ipv4, 0, 4);
            if (Libc.C.ioctl(fd, request, ifreq) != 0) {
                throw new IOException(device + ": setting " + what + ": " + Libc.C.strerror(Native.getLastError()));
            }
        }

        private static void up(int fd, String device) throws IOException {
            Memory ifreq = ifreq(device);
            if (Libc.C.ioctl(fd, Libc.SIOCGIFFLAGS, ifreq) != 0) {
                throw new IOException(device + ": reading flags: " + Libc.C.strerror(Native.getLastError()));
            }
            ifreq.setShort(16, (short) (ifreq.getShort(16) | Libc.IFF_UP));
            if (Libc.C.ioctl(fd, Libc.SIOCSIFFLAGS, ifreq) != 0) {
                throw new IOException(device + ": link up: " + Libc.C.strerror(Native.getLastError()));
            }
        }
    }
}
