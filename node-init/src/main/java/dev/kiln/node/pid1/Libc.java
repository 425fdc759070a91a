package dev.kiln.node.pid1;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The libc calls an init needs that Java lacks, through JNA. Loaded only when the process is PID 1. */
interface Libc extends Library {

    Libc C = Native.load("c", Libc.class);

    int RB_AUTOBOOT = 0x01234567;
    int RB_POWER_OFF = 0x4321fedc;
    int WNOHANG = 1;
    long SYS_FINIT_MODULE = 313;
    int AF_INET = 2;
    int SOCK_DGRAM = 2;
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int SIOCGIFFLAGS = 0x8913;
    int SIOCSIFFLAGS = 0x8914;
    int SIOCSIFADDR = 0x8916;
    int SIOCSIFNETMASK = 0x891c;
    short IFF_UP = 0x1;
    long MS_RDONLY = 1;
    long MS_REMOUNT = 32;

    int getpid();

    int sethostname(String name, long length);

    int mount(String source, String target, String type, long flags, String data);

    int umount2(String target, int flags);

    void sync();

    int reboot(int command);

    int waitpid(int pid, int[] status, int options);

    int chdir(String path);

    /** argv and envp go as NULL-terminated char* arrays (JNA's mapping of String[]). */
    int execve(String path, String[] argv, String[] envp);

    int open(String path, int flags);

    int close(int fd);

    long syscall(long number, Object... args);

    int socket(int domain, int type, int protocol);

    int ioctl(int fd, long request, Pointer arg);

    String strerror(int errno);
}
